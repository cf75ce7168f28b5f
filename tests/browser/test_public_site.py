"""The public website in a real browser (Debian's Chromium, driven by Playwright), on the seed dataset:
every page type opens and passes axe-core with no serious or critical violation, on a desktop and a
phone; the treaty map's date control and the rulings search work; Chinese and Uyghur names are drawn
with fonts that have their letters, Uyghur right to left.

Screenshots of the main pages go to docs/screenshots/ with UPDATE_SCREENSHOTS=1.
"""

import datetime
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from cases.models import (
    Alias,
    AliasKind,
    Case,
    CourtRuling,
    InterpolNotice,
    Person,
    Script,
)
from sources.models import Source
from tests import factories as f
from tests.browser import axe
from tests.browser.conftest import shot
from treaties.models import Treaty

UYGHUR_NAME = "ئىدرىس ھەسەن"  # Idris Hasan in the Uyghur Arabic script

# The live server needs committed data: each test's data is flushed after it.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server) -> dict[str, str]:
    """The seed dataset, served; one page of each type, by name."""
    # A flush after an earlier test took the rows of the data migrations with it.
    import_module("cases.migrations.0003_affiliations").add_affiliations(apps, None)
    call_command("load_seed_data", verbosity=0)
    idris = Person.objects.get(slug="idris-hasan")
    Alias.objects.create(person=idris, name=UYGHUR_NAME, script=Script.UYGHUR_ARABIC, kind=AliasKind.TRANSLITERATION,
                         note="Uyghur script; added by the browser test")
    public = {
        "case": Case.objects.public().get(slug="ma-idris-hasan-2021"),
        "person": idris,
        "ruling": CourtRuling.objects.public().get(slug="cz-supreme-court-eight-taiwanese-2020"),
        "notice": InterpolNotice.objects.public().filter(subject=idris).first(),
        "source": Source.objects.public().get(slug="sd-returned-without-rights-2022"),
        "treaty": Treaty.objects.public().get(slug="extradition-cn-fr"),
    }
    pages = {
        "home": "/", "cases": "/cases/", "persons": "/persons/", "rulings": "/rulings/", "notices": "/notices/",
        "sources": "/sources/", "figures": "/figures/", "treaty-map": "/treaties/map/", "country": "/countries/PL/",
        "about": "/about/", "downloads": "/data/",
    }
    pages.update({kind: record.get_absolute_url() for kind, record in public.items()})
    return {name: live_server.url + path for name, path in pages.items()}


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.ok, f"{url}: {response.status}"
    assert page.locator("h1").count() == 1, f"{url}: one main heading"


def test_every_page_type_is_accessible_on_a_desktop_and_a_phone(site, page, phone):
    found = {}
    for name, url in site.items():
        visit(page, url)
        if violations := axe.violations(page):
            found[name] = violations
    assert not found, f"axe-core found serious or critical violations: {found}"

    overflowing = []
    for name, url in site.items():
        visit(phone, url)
        # Nothing wider than the phone's screen: no sideways scrolling of the page itself.
        if phone.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
            overflowing.append(name)
    assert not overflowing, f"pages wider than a phone's screen: {overflowing}"
    for name in ("case", "rulings"):
        visit(phone, site[name])
        assert not axe.violations(phone), name
    visit(phone, site["case"])
    shot(phone, "site-case-phone")

    for name in ("home", "case", "person", "treaty-map", "ruling"):
        visit(page, site[name])
        shot(page, f"site-{name}")


def test_the_map_shows_the_chosen_date(live_server, page):
    f.TreatyFactory(counterpart="FR", signed_on=datetime.date(2007, 3, 20), in_force_on=datetime.date(2015, 7, 17),
                    in_force_on_precision="day")
    visit(page, f"{live_server.url}/treaties/map/")
    france = page.locator("svg.world path", has=page.locator("title", has_text="France:"))
    assert "status-in_force" in france.get_attribute("class")
    page.fill("#on", "2010-01-01")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/treaties/map/?on=2010-01-01")
    assert "1 January 2010" in page.locator("#map-title").text_content()
    assert "status-signed" in france.get_attribute("class")  # signed in 2007, in force from 2015
    assert page.get_by_role("cell", name="Signed, awaiting ratification").count() == 1
    assert not axe.violations(page)


def test_a_lawyer_searches_the_rulings_and_narrows_them_by_ground(site, page):
    visit(page, site["rulings"])
    page.get_by_label("Search the rulings").fill("torture")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/rulings/?q=torture")
    results = page.locator("#results > li")
    assert results.count() >= 1 and results.locator("mark").count() >= 1  # snippets show the match
    total = int(page.locator("#count").text_content().split()[0])
    refused = page.locator("aside.facets a", has_text="Extradition refused")
    refused.click()
    page.wait_for_url("**decision=extradition_refused**")
    assert "q=torture" in page.url  # the search is kept
    assert int(page.locator("#count").text_content().split()[0]) <= total
    assert not axe.violations(page)
    shot(page, "site-rulings-search")
    results.first.locator("a").first.click()  # the ruling's own page
    page.wait_for_url("**/rulings/*/")
    assert page.locator("section.cite").get_by_text("Extraditions tracker, record").count() == 1


def test_chinese_and_uyghur_names_are_drawn_in_their_own_script(live_server, page):
    person = f.PersonFactory(name="Idris Hasan", name_original="伊德里斯·哈桑", original_script=Script.HAN_SIMPLIFIED)
    f.AliasFactory(person=person, name=UYGHUR_NAME, script=Script.UYGHUR_ARABIC, kind=AliasKind.TRANSLITERATION)
    visit(page, f"{live_server.url}{person.get_absolute_url()}")
    assert page.locator('h1 bdi[lang="zh-Hans"]').text_content() == "伊德里斯·哈桑"
    uyghur = page.locator('bdi[lang="ug-Arab"]')
    assert uyghur.text_content() == UYGHUR_NAME
    assert uyghur.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # The fonts Chromium drew the letters with have Chinese and Uyghur glyphs: not the Latin
    # font's empty boxes. (Debian: fonts-noto-cjk, fonts-ukij-uyghur.)
    chinese_fonts = rendering_fonts(page, 'h1 bdi[lang="zh-Hans"]')
    uyghur_fonts = rendering_fonts(page, 'bdi[lang="ug-Arab"]')
    assert any("CJK" in family or "WenQuanYi" in family for family in chinese_fonts), chinese_fonts
    assert any(family.startswith(("UKIJ", "Noto Naskh Arabic", "Noto Sans Arabic")) for family in uyghur_fonts), uyghur_fonts


def rendering_fonts(page, selector: str) -> set[str]:
    """The platform fonts Chromium used for the text of the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"] for font in fonts if font["glyphCount"]}


def test_the_site_works_from_the_keyboard(live_server, page):
    case = f.CaseFactory(title="A case reached by keyboard")
    visit(page, f"{live_server.url}/cases/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.text_content() == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # from the main content on: the search box, past the navigation
    assert page.evaluate("document.activeElement.closest('main') !== null")
    page.locator("#q").focus()
    page.keyboard.type("keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?q=keyboard*")  # (with #content, where the skip link went)
    link = page.get_by_role("link", name=case.title)
    link.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{case.get_absolute_url()}")


def test_the_treaty_map_names_a_focused_country_on_a_desktop_and_a_phone(site, page, phone):
    """Each country is one tab stop, on the map where it is largest; focused, it is named in words
    on screen and to a screen reader. The page passes axe-core and fits a phone."""
    from tests.browser.conftest import SCREENSHOTS

    for screen, name in ((page, "site-treaty-map-keyboard"), (phone, "site-treaty-map-phone")):
        visit(screen, site["treaty-map"] + "?on=2015-01-01")
        assert not axe.violations(screen), name
        assert not screen.evaluate("document.documentElement.scrollWidth > window.innerWidth"), name
        screen.get_by_role("link", name="1 February 2022").focus()  # the control just before the map
        screen.keyboard.press("Tab")
        assert screen.locator(":focus").text_content().startswith("Skip the map's")
        screen.keyboard.press("Tab")
        country = screen.locator("svg.world a:focus")
        assert country.get_attribute("aria-label").startswith("Afghanistan: Status not known (signed")
        assert country.locator(".label").is_visible() and "Afghanistan" in country.locator(".label").text_content()
        # Past the world map's own countries, Europe's: drawn larger there, and named.
        world_stops = screen.locator("svg.world a.place:not([tabindex])").count()
        for _ in range(world_stops):
            screen.keyboard.press("Tab")
        europe = screen.locator(".inset svg a:focus")
        assert europe.get_attribute("aria-label") == "Albania: No extradition treaty"
        assert europe.locator(".label").is_visible()
        assert screen.get_by_role("link", name="Albania: No extradition treaty").count() == 1  # its world copy is hidden
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        screen.locator(".maps").screenshot(path=str(SCREENSHOTS / f"{name}.png"))  # the maps, Albania focused


# --- charts and countries -----------------------------------------------------------------------------

# In the browser: the charts' texts as drawn, in the fonts the machine has (extraditions/charts.py
# only estimates their widths).
CHART_TEXTS = """svg => {
    const box = e => e.getBoundingClientRect();
    const frame = box(svg);
    const texts = css => [...svg.querySelectorAll('text.' + css)].map(box);
    const apart = boxes => boxes.every((b, i) => i === 0 || b.left >= boxes[i - 1].right - 0.5 || b.top >= boxes[i - 1].bottom - 0.5);
    const inside = [...svg.querySelectorAll('text')].map(box).every(b => b.left >= frame.left - 1 && b.right <= frame.right + 1);
    const names = (svg.getAttribute('aria-labelledby') || '').split(' ').map(id => document.getElementById(id));
    return {
        role: svg.getAttribute('role'),
        named: names.length === 2 && names.every(n => n && n.textContent.trim().length > 0),
        ticks: texts('tick').length, units: texts('unit').length, marks: svg.querySelectorAll('rect, circle').length,
        categoriesApart: apart(texts('category')), valuesApart: apart(texts('value')), inside: inside,
        table: !!svg.closest('.chart-block').querySelector('table') || svg.closest('.chart-block').classList.contains('chart-alone'),
    };
}"""


def check_charts(screen, name: str) -> int:
    """Every chart of the page has a name, axes with a unit, marks, labels that do not overlap
    and stay in the drawing, and its table; how many charts there are."""
    charts = screen.locator("svg.chart-plot")
    for index in range(charts.count()):
        found = charts.nth(index).evaluate(CHART_TEXTS)
        where = f"{name}, chart {index + 1}: {found}"
        assert found["role"] == "img" and found["named"] and found["table"], where
        assert found["ticks"] >= 2 and found["units"] == 1 and found["marks"] >= 1, where
        assert found["categoriesApart"] and found["valuesApart"] and found["inside"], where
    return charts.count()


def test_the_charts_and_countries_read_well_on_a_desktop_a_phone_and_paper(site, page, phone):
    """The figures, the country index, a country with returns and the home page: charts with a name,
    axes, values and a table; no serious axe violation; nothing wider than a phone; printable."""
    base = site["home"].rstrip("/")
    pages = {"figures": "/figures/", "countries": "/countries/", "country": "/countries/KH/", "home": "/"}
    for name, path in pages.items():
        visit(page, base + path)
        assert not axe.violations(page), name
        count = check_charts(page, name)
        assert count >= {"figures": 6, "countries": 0, "country": 1, "home": 1}[name], (name, count)
    visit(page, base + "/figures/")
    page.get_by_role("link", name="Persons returned to China, by host country and means of return").click()
    assert page.url.endswith("#returns-per-country")
    shot(page, "site-figures")
    visit(page, base + "/countries/")
    page.get_by_role("link", name="Cambodia").click()
    page.wait_for_url("**/countries/KH/")
    assert page.get_by_role("img", name="Persons returned to China from Cambodia, per year").count() == 1
    shot(page, "site-country")
    visit(page, base + "/countries/")
    shot(page, "site-countries")

    for name, path in pages.items():
        visit(phone, base + path)
        # Nothing wider than the phone's 390 pixels (wide tables scroll in their own box).
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert not axe.violations(phone), name
        check_charts(phone, name)
    visit(phone, base + "/countries/KH/")
    shot(phone, "site-country-phone")
    visit(phone, base + "/figures/")
    shot(phone, "site-figures-phone")

    page.emulate_media(media="print")
    visit(page, base + "/figures/")
    assert page.locator("svg.chart-plot").first.is_visible() and not page.locator(".to-contents").first.is_visible()
    assert len(page.pdf()) > 10_000  # Chromium prints it
