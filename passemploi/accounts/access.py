"""The only way pages, API and sockets fetch accounts objects. Missing and forbidden: both 404."""

from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from passemploi.accounts.enums import Role
from passemploi.accounts.models import Counselor, YoungPerson


def counselor_of(user) -> Counselor | None:
    if user.is_authenticated and user.role == Role.COUNSELOR:
        return user.counselor
    return None


def young_person_of(user) -> YoungPerson | None:
    if user.is_authenticated and user.role == Role.YOUNG_PERSON:
        return user.young_person
    return None


def young_people_visible_to(user):
    """Young people a user may open: a counselor their portfolio; a supervisor their structure."""
    counselor = counselor_of(user)
    if counselor is None:
        return YoungPerson.objects.none()
    if counselor.is_supervisor:
        return YoungPerson.objects.filter(structure_id=counselor.structure_id)
    return YoungPerson.objects.filter(counselor=counselor)


def portfolio_of(counselor: Counselor):
    """The counselor's own portfolio (not the whole structure, even for a supervisor)."""
    return YoungPerson.objects.filter(counselor=counselor, is_archived=False)


def get_young_person_for_user(user, pk) -> YoungPerson:
    """A young person sees only themself; a counselor their portfolio; a supervisor, structure."""
    own = young_person_of(user)
    if own is not None:
        if str(own.pk) == str(pk):
            return own
        raise Http404
    try:
        return young_people_visible_to(user).select_related("user", "counselor__user").get(pk=pk)
    except (YoungPerson.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def get_counselor_for_supervisor(user, pk) -> Counselor:
    counselor = counselor_of(user)
    if counselor is None or not counselor.is_supervisor:
        raise Http404
    try:
        return Counselor.objects.select_related("user").get(
            pk=pk, structure_id=counselor.structure_id
        )
    except (Counselor.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc


def _role_required(role: Role, supervisor: bool = False):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if user.role != role:
                raise PermissionDenied
            if supervisor and not user.counselor.is_supervisor:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


counselor_required = _role_required(Role.COUNSELOR)
supervisor_required = _role_required(Role.COUNSELOR, supervisor=True)
young_person_required = _role_required(Role.YOUNG_PERSON)
