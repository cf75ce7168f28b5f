"""The Content-Security-Policy holds in a real browser: no page of the site, the staff workspace or
the API docs needs anything it refuses (an inline script, a third-party font), and the API docs
still draw. The other browser tests bypass the policy to inject axe-core; these do not."""

import pytest

from extraditions.roles import RESEARCHER
from tests import factories as f
from tests.browser.conftest import DESKTOP
from tests.browser.test_case_workflow import log_in, staff

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
    window.cspViolations.push(`${e.violatedDirective} refused ${e.blockedURI || 'inline'} in ${e.sourceFile || e.documentURI}`));
"""


@pytest.fixture
def strict_page(browser):
    context = browser.new_context(**DESKTOP)  # the policy applies
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    refusals = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refusals.append(message.text))
    page.refusals = refusals
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.cspViolations") + page.refusals


def test_the_site_and_the_workspace_need_nothing_the_policy_refuses(live_server, strict_page):
    case = f.CaseFactory(title="A case to open")
    pages = ["/", "/cases/", case.get_absolute_url(), "/treaties/map/", "/admin/login/"]
    for path in pages:
        strict_page.goto(live_server.url + path)
        strict_page.wait_for_load_state("networkidle")
        assert violations(strict_page) == [], path
    staff("researcher", RESEARCHER)
    log_in(strict_page, live_server.url, "researcher")
    for path in ["/admin/", "/admin/cases/case/", "/admin/cases/case/add/", f"/admin/cases/case/{case.pk}/change/"]:
        strict_page.goto(live_server.url + path)
        strict_page.wait_for_load_state("networkidle")
        assert violations(strict_page) == [], path


def test_the_api_docs_draw_under_the_policy(live_server, strict_page):
    strict_page.goto(live_server.url + "/api/v1/docs/")
    strict_page.wait_for_selector(".swagger-ui .info .title")
    assert "Extraditions tracker API" in strict_page.inner_text(".swagger-ui .info .title")
    strict_page.goto(live_server.url + "/api/v1/redoc/")
    strict_page.wait_for_selector("redoc h1, [role=main] h1, h1")
    # ReDoc's sidebar fetches its maker's logo from their CDN; refusing it is the policy working
    # (no third-party requests), and the page draws without it. Nothing else may be refused.
    refused = [v for v in violations(strict_page) if "https://cdn.redoc.ly/" not in v]
    assert refused == []
