"""Browser tests: Debian's Chromium driven by Playwright against the live test server."""

import os
import tempfile
from pathlib import Path

import pytest

# Playwright's synchronous API runs an event loop in this thread; the ORM calls the fixtures make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Screenshots go to docs/screenshots/ when asked (UPDATE_SCREENSHOTS=1 make test), so that an
# ordinary test run leaves the working tree as it found it; otherwise to a scratch directory.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "extraditions-screenshots"
)


class SerialWSGIServer:
    """The live server answering one request at a time, for SQLite's in-memory test database.

    That database is one connection shared by every thread of the live server. With a thread per
    request, a write request's transaction (every write is one: extraditions/changes.py) and a
    concurrent request's session save interleave their savepoints on that one connection ("no such
    savepoint"), which no deployment can meet: there each thread has its own connection.
    """

    def __new__(cls, *args, connections_override=None, **kwargs):
        from django.core.servers.basehttp import WSGIServer

        return WSGIServer(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_sqlite(django_db_setup):
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Chromium at {CHROMIUM}: apt-get install chromium (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def open_page(browser, request, **options):
    # bypass_csp: axe-core is injected into the page, which a Content-Security-Policy would refuse.
    context = browser.new_context(bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if getattr(request.node, "failed_call", False):
        page.screenshot(path="/tmp/browser-failure.png", full_page=True)  # what the browser showed
    context.close()


@pytest.fixture
def page(browser, request):
    """A desktop browser window."""
    yield from open_page(browser, request, **DESKTOP)


@pytest.fixture
def phone(browser, request):
    """A phone's screen: 390 CSS pixels wide, touch."""
    yield from open_page(browser, request, **PHONE)


def shot(page, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Mark a failed test so that the page fixture keeps a screenshot of what the browser showed."""
    outcome = yield
    if call.when == "call" and outcome.get_result().failed:
        item.failed_call = True
