"""What journalists ask the API: filters, facets, search, ordering, pagination and treaty status on a date."""

import datetime

import pytest

from cases import models as cases
from tests import factories as f

from .conftest import build_world


@pytest.fixture
def rulings(db):
    """Three rulings on three cases: two refusals on ECHR art. 3, one permission."""
    echr3 = f.LegalProvisionFactory()
    cat3 = f.LegalProvisionFactory(slug="cat-3", instrument=cases.Instrument.CAT, article="3", title="Non-refoulement")
    made = []
    for country, decision, grounds, decided in (
        ("SE", cases.RulingDecision.EXTRADITION_REFUSED, [echr3], datetime.date(2019, 12, 18)),
        ("PL", cases.RulingDecision.EXTRADITION_REFUSED, [echr3, cat3], datetime.date(2022, 3, 1)),
        ("CZ", cases.RulingDecision.EXTRADITION_PERMITTED, [cat3], datetime.date(2020, 6, 9)),
    ):
        case = f.CaseFactory(host_country=country, title=f"Case in {country}")
        ruling = f.CourtRulingFactory(
            case=case, country=country, decision=decision, decided_on=decided, decided_on_precision="day",
            assurance_assessment=cases.AssuranceAssessment.REJECTED_UNRELIABLE if country == "PL" else cases.AssuranceAssessment.NOT_ASSESSED,
            summary=f"Ruling about consular access in {country}" if country != "CZ" else "Assurances accepted",
        )
        ruling.grounds.set(grounds)
        made.append(ruling)
    return made


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [record["id"] for record in response.json()["results"]]


def test_refusals_citing_echr_article_3_since_2020(rulings, anonymous):
    se, pl, cz = rulings
    url = "/api/v1/rulings/"
    assert ids(anonymous.get(url, {"decision": "extradition_refused", "ground": "echr-3"})) == [pl.slug, se.slug]
    assert ids(anonymous.get(url, {"ground": "echr-3", "decided_after": "2020"})) == [pl.slug]
    assert ids(anonymous.get(url, {"decided_before": "2019-12"})) == [se.slug]
    assert ids(anonymous.get(url, {"instrument": "cat", "ordering": "decided"})) == [cz.slug, pl.slug]
    assert ids(anonymous.get(url, {"assurance_assessment": "rejected_unreliable"})) == [pl.slug]
    assert ids(anonymous.get(url, {"country": "se,pl".upper().split(",")})) == [pl.slug, se.slug]
    found = anonymous.get(url, {"q": '"consular access"', "decision": "extradition_refused", "ordering": "-decided"})
    assert ids(found) == [pl.slug, se.slug]
    assert "<mark>consular</mark> <mark>access</mark>" in found.json()["results"][0]["match"]["snippet"]


def test_malformed_filter_values_are_a_400_naming_the_parameter(rulings, anonymous):
    for params in ({"decided_after": "last year"}, {"decision": "maybe"}, {"country": "XX"}, {"ground": ""}):
        response = anonymous.get("/api/v1/rulings/", params)
        if params == {"ground": ""}:
            assert response.status_code == 200  # an empty filter is no filter
            continue
        assert response.status_code == 400, params
        assert set(response.json()["errors"]) == set(params)


def test_facets_count_the_filtered_set(rulings, anonymous):
    body = anonymous.get("/api/v1/rulings/", {"facet": ["decision", "country", "ground"], "decided_after": "2020"}).json()
    assert body["count"] == 2
    assert body["facets"]["decision"] == [
        {"value": "extradition_permitted", "label": "Extradition permitted", "count": 1},
        {"value": "extradition_refused", "label": "Extradition refused", "count": 1},
    ]
    assert {row["value"]: row["label"] for row in body["facets"]["country"]} == {"CZ": "Czechia", "PL": "Poland"}
    assert {row["value"]: row["count"] for row in body["facets"]["ground"]} == {"cat-3": 2, "echr-3": 1}
    assert body["facets"]["ground"][0]["label"] == "CAT art. 3"


def test_treaty_status_on_a_date(db, anonymous):
    signed_only = f.TreatyFactory(counterpart="FR", signed_on=datetime.date(2007, 3, 20), in_force_on=datetime.date(2015, 7, 17), in_force_on_precision="day")
    f.TreatyFactory(counterpart="SE", signed_on=datetime.date(2010, 1, 1))  # never in force
    url = "/api/v1/treaties/"
    on_2010 = anonymous.get(url, {"status_on": "2010-06-01", "status": "signed"})
    assert len(ids(on_2010)) == 2
    assert ids(anonymous.get(url, {"status_on": "2022-02-01", "status": "in_force"})) == [signed_only.slug]
    body = anonymous.get(url, {"status_on": "2022-02-01", "facet": "status"}).json()
    assert {row["value"]: row["count"] for row in body["facets"]["status"]} == {"in_force": 1, "signed": 1}
    assert [t["status"] for t in body["results"]] == ["in_force", "signed"]
    assert anonymous.get(signed_only_url := f"{url}{signed_only.slug}/", {"status_on": "2010-01-01"}).json()["status"] == "signed"
    assert anonymous.get(signed_only_url).json()["status"] == "in_force"
    assert anonymous.get(url, {"status_on": "2022-13-01"}).status_code == 400


def test_persons_are_found_by_alias_and_original_name(db, anonymous):
    person = f.PersonFactory(name="Idris Hasan", name_original="伊德里斯·哈桑")
    f.AliasFactory(person=person, name="Yidiresi Aishan")
    f.PersonFactory(name="Someone Else")
    for query in ("yidiresi", "伊德里斯", "idris hasan", '"Idris Hasan"'):
        assert ids(anonymous.get("/api/v1/persons/", {"q": query})) == [person.slug], query


def test_has_red_notice_and_country_filters_on_persons_and_cases(db, anonymous):
    world = build_world("one")
    other = build_world("two")
    other["notice"].kind = cases.NoticeKind.DIFFUSION
    other["notice"].save()
    assert ids(anonymous.get("/api/v1/persons/", {"has_red_notice": "true"})) == [world["person"].slug]
    assert ids(anonymous.get("/api/v1/cases/", {"has_red_notice": "false"})) == [other["case"].slug]
    assert set(ids(anonymous.get("/api/v1/persons/", {"citizenship": "cn", "host_country": "SE"}))) == {
        world["person"].slug, other["person"].slug
    }
    assert ids(anonymous.get("/api/v1/persons/", {"host_country": "TH"})) == []


def test_keyset_pagination_walks_forward_and_back_through_unknown_dates(db, anonymous):
    made = [f.CaseFactory(started_on=datetime.date(2015 + n % 4, 1, 1) if n % 3 else None,
                          started_on_precision="year" if n % 3 else "") for n in range(11)]
    expected = ids(anonymous.get("/api/v1/cases/", {"page_size": 100}))
    assert sorted(expected) == sorted(c.slug for c in made)

    seen, pages, url = [], [], "/api/v1/cases/?page_size=3"
    while url:
        body = anonymous.get(url).json()
        assert body["count"] == 11
        seen += [r["id"] for r in body["results"]]
        pages.append(body)
        url = body["next"]
    assert seen == expected  # same order, nothing twice, nothing missing; undated cases last

    back, url = [], pages[-1]["previous"]
    while url:
        body = anonymous.get(url).json()
        back = [r["id"] for r in body["results"]] + back
        url = body["previous"]
    assert back == expected[: len(expected) - len(pages[-1]["results"])]

    assert anonymous.get("/api/v1/cases/", {"cursor": "not-a-cursor"}).status_code == 400
    assert anonymous.get("/api/v1/cases/", {"page_size": 100000}).status_code == 400
    assert anonymous.get("/api/v1/cases/", {"count": "false"}).json()["count"] is None


def test_a_filter_set_is_built_only_when_a_filter_is_given(rulings, anonymous, monkeypatch):
    """The filter set (copied afresh with its form for each request) is skipped when no filter is
    given, which leaves the list as it is: the same records either way."""
    from cases.filtersets import CourtRulingFilterSet

    built = []
    original = CourtRulingFilterSet.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(CourtRulingFilterSet, "__init__", counting)
    everything = ids(anonymous.get("/api/v1/rulings/", {"ordering": "decided"}))
    assert len(everything) == 3 and not built
    assert anonymous.get(f"/api/v1/rulings/{everything[0]}/").status_code == 200 and not built
    assert len(ids(anonymous.get("/api/v1/rulings/", {"decision": "extradition_refused"}))) == 2 and len(built) == 1
