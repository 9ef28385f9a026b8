from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from passemploi.accounts import services
from passemploi.accounts.access import (
    counselor_required,
    get_young_person_for_user,
    portfolio_of,
    supervisor_required,
)
from passemploi.accounts.models import Counselor
from passemploi.core.errors import ServiceError
from passemploi.portfolio.forms import CounselorCreateForm, YoungPersonCreateForm
from passemploi.portfolio.listing import PortfolioFilterForm, portfolio_rows
from passemploi.portfolio.services import lent_young_people

PAGE_SIZE = 50


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _create(request, form, create):
    """Run a creation service from a valid form; a refused input goes back onto its field."""
    if not form.is_valid():
        return None
    try:
        return create(**form.cleaned_data, base_url=_base_url(request))
    except ServiceError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@counselor_required
def index(request):
    counselor = request.user.counselor
    form = YoungPersonCreateForm(request.POST or None)
    if request.method == "POST":
        created = _create(
            request, form, lambda **data: services.create_young_person(counselor=counselor, **data)
        )
        if created is not None:
            messages.success(
                request,
                f"{created.user.get_full_name()} a été ajouté(e) à votre portefeuille. "
                f"Un e-mail d'activation a été envoyé à {created.user.email}.",
            )
            return redirect("portfolio:index")
    filters = PortfolioFilterForm(request.GET, counselor)
    rows = portfolio_rows(counselor, filters.to_filter())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.errors else 200
    return render(
        request,
        "portfolio/index.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "total": portfolio_of(counselor).count(),
            "updated_at": timezone.now(),
            "lent": list(lent_young_people(counselor)),
            "active_section": "portfolio",
        },
        status=status,
    )


@counselor_required
@require_POST
def resend_activation(request, pk):
    young_person = get_young_person_for_user(request.user, pk)
    try:
        services.resend_activation(young_person, base_url=_base_url(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"Un nouvel e-mail d'activation a été envoyé à {young_person.user.email}."
        )
    return redirect("portfolio:index")


@supervisor_required
def team(request):
    structure = request.user.counselor.structure
    form = CounselorCreateForm(request.POST or None)
    if request.method == "POST":
        created = _create(
            request, form, lambda **data: services.create_counselor(structure=structure, **data)
        )
        if created is not None:
            messages.success(
                request,
                f"Le compte de {created.user.get_full_name()} a été créé ; "
                f"un e-mail d'activation a été envoyé à {created.user.email}.",
            )
            return redirect("portfolio:team")
    counselors = (
        Counselor.objects.filter(structure=structure)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return render(
        request,
        "portfolio/team.html",
        {"counselors": counselors, "form": form, "active_section": "team"},
        status=400 if form.errors else 200,
    )


@counselor_required
def profile(request):
    return render(request, "portfolio/profile.html", {"active_section": "profile"})
