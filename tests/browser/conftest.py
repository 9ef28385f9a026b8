"""Browser tests: Debian's Chromium, driven by Playwright (sync API), against pytest-django's
live server. Every page a test visits goes through `check_page`: axe-core finds no violation,
and on a phone-sized viewport the page does not scroll sideways.

These tests are never skipped: a machine without Chromium fails them loudly (`make browser`
installs it).
"""

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread: without this, Django refuses the
# ORM calls the tests make (factories, outbox checks) as "unsafe from an async context".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TIMEOUT_MS = 10_000

_axe = Axe()
# Script errors and CSP refusals seen by each open page, checked by `check_page`.
_page_errors: dict[Page, list[str]] = {}


def _watch(page: Page) -> Page:
    errors = _page_errors.setdefault(page, [])

    def on_console(message):
        if message.type != "error":
            return
        # The document's own error status (404 page, 400 form) is not a script error.
        if (
            message.text.startswith("Failed to load resource")
            and message.location.get("url") == page.url
        ):
            return
        # pytest-django's live_server speaks WSGI only: the pages' socket gets a 404 handshake
        # there and the pages fall back to polling. Real sockets are exercised against an ASGI
        # server in tests/browser/test_chat.py and tests/chat/test_two_processes.py.
        if "WebSocket connection to" in message.text and "Unexpected response code: 404" in (
            message.text
        ):
            return
        errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error.stack or error}"))
    return page


# Module scope, not session: while Playwright runs, the test thread has a running event loop,
# which would break later non-browser tests that call async_to_sync (channels, websockets).
@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}) : les tests navigateur ne peuvent pas tourner. "
            "Installez-le avec `make browser` (apt-get install chromium).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _context(browser, device: dict):
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        # The service worker is covered elsewhere; here it would only add a moving part.
        service_workers="block",
        **device,
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_page(browser):
    """Factory: new_page("phone") or new_page("desktop"), each in its own cookie jar."""
    contexts = []

    def make(device: str = "desktop") -> Page:
        context = _context(browser, PHONE if device == "phone" else DESKTOP)
        contexts.append(context)
        return _watch(context.new_page())

    yield make
    for context in contexts:
        for page in context.pages:
            _page_errors.pop(page, None)
        context.close()


@pytest.fixture
def phone_page(new_page) -> Page:
    return new_page("phone")


@pytest.fixture
def desktop_page(new_page) -> Page:
    return new_page("desktop")


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation.get('impact')}] {violation['id']}: {violation['help']}"
            f" ({violation.get('helpUrl', '')})"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    at {' '.join(map(str, node.get('target', [])))}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    results = _axe.run(page)
    violations = results.response["violations"]
    assert not violations, (
        f"axe-core : {len(violations)} règle(s) enfreinte(s) sur {page.url}\n"
        + format_violations(violations)
    )


def assert_no_horizontal_scroll(page: Page, width: int = 360) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, (
        f"{page.url} défile horizontalement à {width}px (scrollWidth = {scroll_width}px)"
    )


def check_page(page: Page, title: str | re.Pattern | None = None) -> None:
    """The checks every visited page must pass. `title` is part of the <title> when given."""
    page.wait_for_load_state("load")
    if title is not None:
        expect(page).to_have_title(title if isinstance(title, re.Pattern) else re.compile(title))
    assert_accessible(page)
    errors = _page_errors.get(page, [])
    assert not errors, f"Erreurs JavaScript sur {page.url} :\n" + "\n".join(errors)
    width = page.viewport_size["width"]
    if width <= PHONE["viewport"]["width"]:
        assert_no_horizontal_scroll(page, width)
