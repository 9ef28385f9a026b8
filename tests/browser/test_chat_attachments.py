"""A young person attaches a PDF from their phone; the counselor sees it arrive and downloads it.
Runs the real ASGI server of tests/browser/test_chat.py (so the socket works and the pages log no
error), with the attachments stored in a temporary directory. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from passemploi.chat.models import Attachment
from tests.browser.conftest import check_page
from tests.browser.test_chat import LIVE_MS, asgi_server  # noqa: F401 (a fixture)
from tests.browser.test_onboarding import label, sign_in
from tests.chat.files import pdf_bytes
from tests.factories import PASSWORD, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def attachments_dir(monkeypatch, tmp_path):
    """Read by the server process's settings (CHAT_ATTACHMENTS_DIR)."""
    monkeypatch.setenv("CHAT_ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    monkeypatch.delenv("CLAMD_SOCKET", raising=False)
    monkeypatch.delenv("CLAMD_HOST", raising=False)
    return tmp_path


def test_young_person_attaches_a_pdf_counselor_downloads_it(
    attachments_dir,
    asgi_server,  # noqa: F811
    phone_page,
    desktop_page,
):
    young_person = YoungPersonFactory(user__first_name="Lina", user__last_name="Morel")
    counselor = young_person.counselor
    document = attachments_dir / "attestation.pdf"
    document.write_bytes(pdf_bytes())

    phone = phone_page
    phone.goto(f"{asgi_server}/connexion/")
    sign_in(phone, young_person.user.email, PASSWORD)
    phone.goto(f"{asgi_server}/app/messages/")
    check_page(phone, "Messages")
    conversation = young_person.conversation

    desk = desktop_page
    desk.goto(f"{asgi_server}/connexion/")
    sign_in(desk, counselor.user.email, PASSWORD)
    desk.goto(f"{asgi_server}/conseiller/messagerie/{conversation.pk}/")
    check_page(desk, "Conversation avec Lina Morel")

    # --- The young person joins a file, with no text ---
    phone.get_by_label(label("Joindre un fichier")).set_input_files(str(document))
    phone.get_by_role("button", name="Envoyer").click()
    own = phone.locator(".pe-chat__message--own").last
    expect(own).to_contain_text("Télécharger attestation.pdf")
    check_page(phone, "Messages")

    # --- It reaches the counselor live, and downloads decrypted ---
    link = desk.get_by_role("link", name=re.compile("Télécharger attestation.pdf"))
    expect(link).to_be_visible(timeout=LIVE_MS)
    check_page(desk, "Conversation avec Lina Morel")
    with desk.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "attestation.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()
    assert Attachment.objects.get().state == "clean"
