"""Structure news pages: the counselor's list, publish, edit and delete under
/conseiller/actualites/, and the young person's read-only "Ma Mission Locale" under
/app/ma-structure/. Rules live in services, reads in access."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from passemploi.accounts.access import counselor_required, young_person_required
from passemploi.core.errors import ServiceError
from passemploi.news import services
from passemploi.news.access import get_news_for_counselor, news_visible_to
from passemploi.news.forms import NewsForm

PAGE_SIZE = 10


def _page_of(request, user):
    items = news_visible_to(user).select_related("author__user", "updated_by__user")
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _posted(request):
    return request.POST if request.method == "POST" else None


def _onto_form(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _form_page(request, form, item):
    return render(
        request,
        "news/form.html",
        {"form": form, "item": item, "active_section": "news"},
        status=400 if form.errors else 200,
    )


@counselor_required
def counselor_index(request):
    return render(
        request,
        "news/counselor_index.html",
        {
            "page": _page_of(request, request.user),
            "structure": request.user.counselor.structure,
            "active_section": "news",
        },
    )


@counselor_required
def create(request):
    form = NewsForm(_posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.publish_news(request.user, data["title"], data["text"], data["link"])
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "L'actualité est publiée.")
            return redirect("news_counselor:index")
    return _form_page(request, form, None)


@counselor_required
def edit(request, pk):
    item = get_news_for_counselor(request.user, pk)
    form = NewsForm(
        _posted(request), initial={"title": item.title, "text": item.text, "link": item.link}
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_news(
                request.user, item, title=data["title"], text=data["text"], link=data["link"]
            )
        except ServiceError as error:
            _onto_form(form, error)
        else:
            messages.success(request, "L'actualité est modifiée.")
            return redirect("news_counselor:index")
    return _form_page(request, form, item)


@counselor_required
def delete(request, pk):
    """GET asks for confirmation; POST deletes."""
    item = get_news_for_counselor(request.user, pk)
    if request.method == "POST":
        services.delete_news(request.user, item)
        messages.success(request, "L'actualité est supprimée.")
        return redirect("news_counselor:index")
    return render(request, "news/delete.html", {"item": item, "active_section": "news"})


@young_person_required
def young_index(request):
    return render(
        request,
        "news/young_index.html",
        {
            "page": _page_of(request, request.user),
            "structure": request.user.young_person.structure,
            "active_tab": "profile",
        },
    )
