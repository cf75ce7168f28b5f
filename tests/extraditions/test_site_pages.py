"""Every page type of the public website: citable, free of hidden records, and as cheap in queries
with many records as with one."""

import re

import pytest

from tests import factories as f
from tests.api.conftest import DRAFT, RESTRICTED, build_world
from tests.pages import page, queries_for

MARKER = "Zqxv"

LISTS = ["/", "/cases/", "/persons/", "/rulings/", "/notices/", "/sources/", "/figures/", "/treaties/map/",
         "/about/", "/data/", "/countries/SE/"]
RECORDS = ["case", "person", "ruling", "notice", "source", "treaty"]


def urls_of(world) -> list[str]:
    return LISTS + [world[name].get_absolute_url() for name in RECORDS]


def test_every_page_has_a_title_and_a_text_to_cite_it_by(client, world):
    for url in urls_of(world):
        html = page(client, url)
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        cite = re.search(r'<section class="cite".*?<p>(.*?)</p>', html, re.S).group(1)
        assert title.endswith("Extraditions tracker"), url
        assert f"http://testserver{url}" in cite and "(accessed " in cite, url
    for name in RECORDS:
        record = world[name]
        html = page(client, record.get_absolute_url())
        assert "Cite this record" in html and f"record {getattr(record, 'slug', record.uid)}" in html, name


def test_no_page_shows_a_restricted_or_draft_record(client, world):
    """Hidden worlds carry a marker in every text; a public source also cites a hidden case."""
    hidden = [build_world(f"{MARKER} restricted", **RESTRICTED), build_world(f"{MARKER} draft", **DRAFT)]
    f.CitationFactory(source=world["source"], record=hidden[0]["case"], locator=MARKER)
    f.CaseParticipantFactory(case=world["case"], person=hidden[0]["person"])
    for url in urls_of(world) + [f"{url}?q={MARKER}" for url in LISTS[1:6]]:
        html = page(client, url).replace(f'value="{MARKER}"', "").replace(f"q={MARKER}", "")  # what was typed (search box, links, feed, alert form)
        assert MARKER not in html, url
    for hidden_world in hidden:
        for name in RECORDS:
            page(client, hidden_world[name].get_absolute_url(), status=404)


@pytest.mark.parametrize("kind", RECORDS + ["country"])
def test_record_pages_cost_the_same_queries_however_many_records(client, db, kind):
    first = build_world("one")
    url = "/countries/SE/" if kind == "country" else first[kind].get_absolute_url()
    page(client, url)  # warm the per-process caches
    before = queries_for(client, url)
    for n in range(3):
        more = build_world(f"more{n}")  # in Sweden too, citing its own source
        f.CitationFactory(source=first["source"], record=more["case"])
        f.CitationFactory(source=first["source"], record=more["detention"])
        f.CaseParticipantFactory(case=first["case"], person=more["person"])
        first["notice"].cases.add(more["case"])
        f.CourtRulingFactory(case=first["case"])
        more["case"].treaty = first["treaty"]
        more["case"].save()
    assert queries_for(client, url) == before
