"""In a real browser (Debian's Chromium, driven by Playwright): a researcher enters a case with a
new person, a ruling and a citation, and submits it; an editor publishes it; the public API shows it.

Along the way, screenshots of the main pages of the staff workspace are taken (saved to
docs/screenshots/ with UPDATE_SCREENSHOTS=1).
"""

import json
import urllib.request

import pytest
from django.contrib.auth.models import Group, User

from extraditions.roles import EDITOR, RESEARCHER
from tests import factories as f
from tests.browser.conftest import shot

PASSWORD = "a long password for the browser test"


def staff(username: str, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def log_out(page) -> None:
    page.click("#logout-form button")


def pick(page, container, text: str) -> None:
    """Choose ``text`` in an autocomplete box (select2) inside ``container``."""
    container.locator(".select2-selection").click()
    page.fill(".select2-container--open .select2-search__field", text)
    page.locator(".select2-results__option", has_text=text).first.click()


@pytest.mark.django_db(transaction=True)
def test_a_case_goes_from_a_researcher_to_the_public(live_server, page):
    base = live_server.url
    staff("rita", RESEARCHER)
    staff("ed", EDITOR)
    f.SourceFactory(title="Extradition report 2022")  # cited from the case page below
    f.PersonFactory(name="Qiao Jianjun", name_original="乔建军")

    # The researcher records a new person; a near name is flagged before anything is saved.
    log_in(page, base, "rita")
    page.goto(f"{base}/admin/cases/person/add/")
    page.fill("#id_slug", "qiao-jian-jun")
    page.fill("#id_name", "Qiao Jian-Jun")
    page.click("input[name=_save]")
    page.wait_for_selector("text=may already be recorded")
    shot(page, "person-likely-duplicate")
    page.fill("#id_slug", "li-zhihui")
    page.fill("#id_name", "Li Zhihui")
    page.fill("#id_biography", "A businessman sought by China, arrested in Poland in 2019.")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # Then the case, from one page: the person, a ruling and the citation behind it.
    page.goto(f"{base}/admin/cases/case/add/")
    page.fill("#id_slug", "pl-li-zhihui-2019")  # first: typed slugs are not overwritten from the title
    page.fill("#id_title", "Li Zhihui: extradition request to Poland")
    page.select_option("#id_kind", "formal_extradition")
    page.select_option("#id_host_country", "PL")
    page.fill("#id_started", "2019-08")
    page.select_option("#id_outcome", "refused")
    page.fill("#id_summary", "Poland's courts refused to extradite him to China.")
    page.click("#participants-group .add-row a")
    pick(page, page.locator("#participants-0"), "Li Zhihui")
    page.click("#rulings-group .add-row a")
    page.fill("#id_rulings-0-court", "Warsaw Appeals Court")
    page.select_option("#id_rulings-0-country", "PL")
    page.select_option("#id_rulings-0-level", "appeal")
    page.fill("#id_rulings-0-decided", "2021")
    page.select_option("#id_rulings-0-decision", "extradition_refused")
    page.fill("#id_rulings-0-slug", "pl-warsaw-appeal-2021")
    page.fill("#id_rulings-0-summary", "Extradition refused: the assurances were not binding.")
    citations = page.locator("[id$='citation-content_type-object_id-group']")
    citations.locator(".add-row a").click()
    pick(page, citations.locator("tr.dynamic-sources-citation-content_type-object_id").first, "Extradition report 2022")
    citations.locator("input[name$='-0-locator']").fill("p. 12")
    shot(page, "case-entry")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    # Submitted for review from the list; only an editor may publish.
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "submit_for_review")
    page.click("button[name=index]")
    page.wait_for_selector("text=submitted for review")
    assert "publish" not in page.locator("select[name=action]").inner_text().lower().replace("unpublish", "")
    shot(page, "case-list")
    log_out(page)

    log_in(page, base, "ed")
    page.goto(f"{base}/admin/cases/case/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector("text=1 record(s) published")

    # The public API shows the case.
    with urllib.request.urlopen(f"{base}/api/v1/cases/pl-li-zhihui-2019/") as response:
        case = json.load(response)
    assert case["title"] == "Li Zhihui: extradition request to Poland"
    assert case["started"] == "2019-08" and case["host_country"] == "PL"

    page.goto(f"{base}/admin/cases/case/?q=Li+Zhihui")
    page.click("text=Li Zhihui: extradition request to Poland")
    page.wait_for_selector("#id_title")
    shot(page, "case-page")
    page.click("a.historylink")
    page.wait_for_selector("#change-history")
    shot(page, "case-history")
    page.goto(f"{base}/admin/cases/person/import/")
    shot(page, "person-import")
