"""The countries: an index of every country with published records and its counts, and a page per
country that says at a glance how many people were returned, when, how and with what outcome.
Restricted and draft records change neither, nor any chart."""

import datetime

import pytest
from django.core.cache import cache

from cases.models import CaseEventKind, CaseOutcome, ParticipantRole, RulingDecision
from tests import factories as f
from tests.api.conftest import DRAFT, RESTRICTED, add_hidden_world, build_public_world
from tests.pages import page, queries_for

D = datetime.date
MARKER = "Qzvx"
pytestmark = pytest.mark.django_db


def returned(outcome, host_country, *, on=None, precision="year", **fields):
    case = f.CaseFactory(outcome=outcome, host_country=host_country, **fields)
    if on:
        f.CaseEventFactory(case=case, kind=CaseEventKind.TRANSFER, occurred_on=on, occurred_on_precision=precision)
    return case


def add_returns() -> dict:
    """Public returns from Cambodia (two groups, a person), a refusal in Sweden, a treaty alone with France."""
    f.TreatyFactory(counterpart="KH", signed_on=D(1999, 2, 9), in_force_on=D(2000, 12, 13), in_force_on_precision="day")
    f.TreatyFactory(counterpart="FR", signed_on=D(2007, 3, 20))
    uyghurs = returned(CaseOutcome.DEPORTED, "KH", title="22 Uyghurs: deportation from Cambodia", on=D(2009, 12, 1),
                       precision="month", group_size=22, started_on=D(2009, 1, 1), started_on_precision="year")
    taiwanese = returned(CaseOutcome.EXTRADITED, "KH", title="49 Taiwanese nationals", on=D(2012, 1, 1), group_size=49)
    person = returned(CaseOutcome.EXTRADITED, "KH", title="One person, undated")
    f.CaseParticipantFactory(case=person)
    refusal = f.CaseFactory(outcome=CaseOutcome.REFUSED, host_country="SE", title="Refused in Sweden")
    f.CourtRulingFactory(case=refusal, country="SE", decision=RulingDecision.EXTRADITION_REFUSED)
    return {"uyghurs": uyghurs, "taiwanese": taiwanese, "person": person, "refusal": refusal}


def add_hidden_returns(public: dict) -> None:
    """Restricted and draft returns that would change every count and chart if they showed."""
    returned(CaseOutcome.DEPORTED, "KH", title=f"{MARKER} group", on=D(2019, 1, 1), group_size=50, **RESTRICTED)
    returned(CaseOutcome.EXTRADITED, "KH", title=f"{MARKER} draft", on=D(2012, 1, 1), group_size=7, **DRAFT)
    returned(CaseOutcome.EXTRADITED, "NO", title=f"{MARKER} only country", on=D(2015, 1, 1), **RESTRICTED)
    hidden_person = f.PersonFactory(name=f"{MARKER} person", **RESTRICTED)
    f.CaseParticipantFactory(case=public["person"], person=hidden_person, role=ParticipantRole.CO_ACCUSED)
    f.CaseEventFactory(case=public["person"], person=hidden_person, kind=CaseEventKind.TRANSFER,
                       occurred_on=D(2014, 1, 1), occurred_on_precision="year")
    f.CourtRulingFactory(case=public["refusal"], country="SE", court=f"{MARKER} court", **DRAFT)


def test_the_index_lists_every_country_with_public_records_and_its_counts(client):
    add_hidden_returns(add_returns())
    html = page(client, "/countries/")
    assert "<h1>Countries</h1>" in html
    assert ('<tr><th scope="row"><a href="/countries/KH/">Cambodia</a></th>\n'
            '        <td class="number">3</td><td class="number">72</td>') in html  # 22 + 49 + 1 persons
    assert '<td>In force</td>' in html  # Cambodia's treaty
    assert '<a href="/countries/FR/">France</a></th>\n        <td class="number">0</td><td class="number">0</td>' in html
    assert '<a href="/countries/SE/">Sweden</a>' in html and '<td class="number">1 <span class="meta">(1)</span></td>' in html
    assert "/countries/NO/" not in html and MARKER not in html  # a country with hidden records only
    assert '<a href="/countries/">Countries</a>' in html  # in the navigation, for readers and the leak crawl
    assert "<loc>http://testserver/countries/</loc>" in page(client, "/sitemap-pages.xml")


def test_a_country_page_says_how_many_were_returned_when_how_and_with_what_outcome(client):
    add_returns()
    html = page(client, "/countries/KH/")
    assert "<strong>72</strong> persons returned to China" in html
    assert "<strong>3</strong> cases documented" in html and "Returned by extradition: 2 · Returned by deportation: 1" in html
    assert '<strong class="status">In force</strong> extradition treaty with the PRC' in html
    # The chart per year: an image with a name, axes with their unit, the values, the table beside.
    assert 'role="img" aria-labelledby="country-returns-title country-returns-desc"' in html
    assert '<title id="country-returns-title">Persons returned to China from Cambodia, per year</title>' in html
    assert 'class="unit">persons</text>' in html and 'class="tick">0</text>' in html
    assert 'class="category">2009</text>' in html and 'class="value">49</text>' in html and 'class="value">22</text>' in html
    assert '<th scope="row">2012</th><td class="number">49</td><td class="number">0</td><td class="number">49</td>' in html
    assert '<tr class="unplotted"><th scope="row">Year not known</th><td class="number">1</td>' in html
    # The cases, with when they began, their outcome, the date of the return and the persons.
    assert ("22 Uyghurs: deportation from Cambodia</a><br><span class=\"meta\">Formal extradition</span></th>\n"
            "        <td>2009</td><td>Returned by deportation</td>\n        <td>December 2009</td>\n"
            "        <td class=\"number\">22</td>") in html
    assert "<td>Date not known</td>" in html  # the undated return


def test_a_country_without_returns_says_so(client):
    add_returns()
    html = page(client, "/countries/SE/")
    assert "<strong>0</strong> persons returned to China" in html and "1 refusing extradition" in html
    assert "No persons to chart" in html and "<svg" not in html.split("Returns to China, per year")[1].split("<h2>")[0]
    page(client, "/countries/XX/", status=404)


def test_no_hidden_record_changes_a_country_the_figures_or_the_home_page(client):
    """The public world, then the same with the whole hidden world and hidden returns added
    (tests/test_leak_crawl.py's approach): every page with a count or a chart is the same."""
    public, partners = build_public_world(MARKER)
    mine = add_returns()
    urls = ["/", "/figures/", "/countries/", "/countries/KH/", "/countries/SE/", "/countries/NO/"]
    before = {url: page(client, url) for url in urls}
    add_hidden_world(public, partners, MARKER)
    add_hidden_returns(mine)
    cache.clear()
    for url in urls:
        after = page(client, url)
        assert MARKER not in after, url
        assert after == before[url], url


def test_the_index_and_a_country_cost_the_same_queries_however_many_records(client):
    add_returns()
    urls = ["/countries/", "/countries/KH/", "/figures/", "/"]
    for url in urls:
        page(client, url)  # warm the per-process caches
    cache.clear()
    before = {url: queries_for(client, url) for url in urls}
    for code in ("TH", "PE", "CA", "KH"):
        for n in range(3):
            case = returned(CaseOutcome.EXTRADITED, code, on=D(2010 + n, 1, 1))
            f.CaseParticipantFactory(case=case)
            f.ExtraditionRequestFactory(case=case)
            f.CourtRulingFactory(case=case, country=code)
            f.DetentionFactory(case=case, started_on=D(2010 + n, 1, 1))
        f.TreatyFactory(counterpart=code)
    cache.clear()
    assert {url: queries_for(client, url) for url in urls} == before
