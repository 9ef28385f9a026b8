"""Onboarding, help (FAQ, contact) and "Télécharger mes données" pages of the young person."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from passemploi.accounts.access import young_person_required
from passemploi.core.errors import ServiceError
from passemploi.youth import services
from passemploi.youth.access import get_export_for_user
from passemploi.youth.export import EXPORT_DAYS
from passemploi.youth.forms import ContactForm
from passemploi.youth.onboarding import SCREENS


@young_person_required
def onboarding(request):
    """One of the first-run screens: ?ecran=1 (default), 2 or 3."""
    raw = request.GET.get("ecran", "1")
    step = int(raw) if raw.isdigit() else 0
    if step < 1 or step > len(SCREENS):
        raise Http404("Écran introuvable")
    return render(
        request,
        "youth/onboarding.html",
        {
            "screen": SCREENS[step - 1],
            "step": step,
            "steps": len(SCREENS),
            "next_step": step + 1 if step < len(SCREENS) else None,
        },
    )


@young_person_required
@require_POST
def onboarding_done(request):
    """ "Passer" or "C'est parti" on any screen: never shown again."""
    services.finish_onboarding(request.user.young_person)
    return redirect("youth:home")


@young_person_required
def faq(request):
    return render(request, "youth/faq.html", {"active_tab": "profile"})


@young_person_required
def contact(request):
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.send_support_request(
                    request.user, form.cleaned_data["subject"], form.cleaned_data["body"]
                )
            except ServiceError as error:
                form.add_error(error.field, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    "Votre message a bien été envoyé à l'équipe Pass Emploi. "
                    "Nous vous répondons par e-mail.",
                )
                return redirect("youth:contact")
        else:
            status = 400
    return render(
        request, "youth/contact.html", {"form": form, "active_tab": "profile"}, status=status
    )


@young_person_required
def data_export(request):
    """GET shows the current export (if any); POST asks for one."""
    young_person = request.user.young_person
    if request.method == "POST":
        _, created = services.request_export(request.user, young_person, request)
        if created:
            messages.success(
                request,
                "Votre archive est en préparation. Revenez sur cette page dans quelques minutes.",
            )
        else:
            messages.info(request, "Une archive est déjà en préparation ou disponible.")
        return redirect("youth:data_export")
    return render(
        request,
        "youth/data_export.html",
        {
            "export": services.current_export(young_person),
            "days": EXPORT_DAYS,
            "active_tab": "profile",
        },
    )


@young_person_required
def data_export_download(request, pk):
    export = get_export_for_user(request.user, pk)
    if not export.is_ready:
        raise Http404("Archive introuvable ou expirée")
    # A small file (text, compressed): read whole, so the storage handle is closed at once.
    with default_storage.open(export.storage_key, "rb") as file:
        content = file.read()
    response = HttpResponse(content, content_type="application/zip")
    filename = f"mes-donnees-pass-emploi-{export.created_at:%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
