"""Search as lawyers and researchers use it, run alike on SQLite and PostgreSQL.

Ranking differs between the two (ts_rank; on SQLite, a count of the record's own matches): tests
compare sets, or orders only where both agree by construction (a name match above a body match).
"""

import pytest

from cases import models as cases
from cases.search import find_persons, likely_duplicates
from extraditions.search.indexing import rebuild
from tests import factories as f

from .conftest import RESTRICTED

SWEDISH = (
    "Högsta domstolen finner att det finns risk för tortyr och att de diplomatiska garantierna om konsulär "
    "tillgång inte kan godtas. Utlämning får inte beviljas."
)
POLISH = "Sąd Apelacyjny w Łodzi uznał, że ekstradycja jest niedopuszczalna ze względu na ryzyko tortur."
ENGLISH = (
    "The Court held that the assurances of consular access and a fair trial offered by the People's Republic "
    "were not legally binding, and that the risk of torture and of the death penalty had not been excluded."
)


@pytest.fixture
def rulings(db):
    made = {}
    for key, text, country, court in (
        ("se", SWEDISH, "SE", "Högsta domstolen"),
        ("pl", POLISH, "PL", "Sąd Apelacyjny w Łodzi"),
        ("en", ENGLISH, "GB", "High Court of Justice"),
    ):
        person = f.PersonFactory(name=f"Suspect {key.upper()}")
        case = f.CaseFactory(title=f"Extradition to China from {country}", host_country=country)
        f.CaseParticipantFactory(case=case, person=person)
        made[key] = f.CourtRulingFactory(case=case, country=country, court=court, full_text=text, summary="")
    return made


def found(client, url, **params) -> set[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return {record["id"] for record in response.json()["results"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("torture", {"en", "pl"}),  # stemmed, "torture" is "tortur": the Polish word, as written
        ('"consular access"', {"en"}),
        ('"access consular"', set()),  # a phrase is in order
        ("assurances -torture", set()),
        ("assurances -penalty or tortyr", {"se"}),
        ("tortyr or tortur or torture", {"se", "pl", "en"}),
        ("HOGSTA domstolen", {"se"}),  # case and accents ignored
        ("sad apelacyjny lodzi", {"pl"}),  # ą, ł folded
        ("Łódź or Łodzi", {"pl"}),
        ("suspect pl", {"pl"}),  # the names of the persons in the case
        ("konsulär tillgång", {"se"}),
    ],
)
def test_query_syntax_on_ruling_texts(rulings, anonymous, query, expected):
    slugs = {key: ruling.slug for key, ruling in rulings.items()}
    assert found(anonymous, "/api/v1/rulings/", q=query) == {slugs[key] for key in expected}


def test_results_are_ranked_with_highlighted_snippets(rulings, anonymous):
    body = anonymous.get("/api/v1/rulings/", {"q": "torture"}).json()
    match = next(result["match"] for result in body["results"] if result["id"] == rulings["en"].slug)
    assert match["relevance"] > 0
    assert "<mark>torture</mark>" in match["snippet"]
    assert match["snippet"].count("<mark>") == 1


def test_name_and_court_rank_above_body_text(db, anonymous):
    in_court = f.CourtRulingFactory(court="Svea hovrätt", full_text="")
    in_body = f.CourtRulingFactory(court="Another court", full_text="The case was first heard by Svea hovrätt.")
    results = anonymous.get("/api/v1/rulings/", {"q": "svea hovratt"}).json()["results"]
    assert [r["id"] for r in results] == [in_court.slug, in_body.slug]


def test_search_combines_with_filters_and_facets(rulings, anonymous):
    body = anonymous.get("/api/v1/rulings/", {"q": "tortyr or torture", "country": "SE", "facet": "country"}).json()
    assert [r["id"] for r in body["results"]] == [rulings["se"].slug]
    assert body["facets"]["country"] == [{"value": "SE", "label": "Sweden", "count": 1}]


def test_the_index_follows_every_edit(rulings, anonymous):
    ruling = rulings["en"]
    assert found(anonymous, "/api/v1/rulings/", q="refoulement") == set()
    ruling.full_text += " Non-refoulement prevails."
    ruling.save()
    assert found(anonymous, "/api/v1/rulings/", q="refoulement") == {ruling.slug}

    person = ruling.case.persons.get()
    person.name = "Renamed Wanted"
    person.save()
    assert found(anonymous, "/api/v1/rulings/", q="renamed wanted") == {ruling.slug}
    assert found(anonymous, "/api/v1/cases/", q="renamed wanted") == {ruling.case.slug}

    ruling.delete()
    assert found(anonymous, "/api/v1/rulings/", q="refoulement") == set()


def test_restricted_records_and_names_never_match_or_show_in_snippets(rulings, anonymous, viewer):
    secret = f.PersonFactory(name="Hidden Zqxw", **RESTRICTED)
    f.CaseParticipantFactory(case=rulings["en"].case, person=secret)
    f.CourtRulingFactory(full_text="Zqxw was tortured.", **RESTRICTED)
    for url in ("/api/v1/rulings/", "/api/v1/cases/", "/api/v1/persons/"):
        assert found(anonymous, url, q="zqxw") == set()
    everything = anonymous.get("/api/v1/search/", {"q": "zqxw or torture"}).content.decode()
    assert "Zqxw" not in everything and "zqxw" not in everything.lower().replace("zqxw or torture", "")
    assert found(viewer, "/api/v1/persons/", q="zqxw") == {secret.slug}


@pytest.fixture
def qiao(db):
    person = f.PersonFactory(name="Qiao Jianjun", name_original="乔建军")
    f.AliasFactory(person=person, name="Jianjun Qiao", kind=cases.AliasKind.SPELLING_VARIANT)
    f.PersonFactory(name="Qian Jun")  # a near name that must rank below
    return person


@pytest.mark.parametrize(
    "query, reason",
    [
        ("乔建军", "same name"),
        ("喬建軍", "same name"),  # traditional characters
        ("Qiáo Jiànjūn", "same name"),  # tone marks
        ("qiaojianjun", "same name"),  # no spaces
        ("qiao jian jun", "same name"),  # pinyin by syllable
        ("Jianjun Qiao", "same name"),  # an alias
        ("Qiao Jiangjun", "spelt like"),  # a misspelling
        ("Chiao Jianjun", "spelt like"),  # another romanisation
        ("Jianjun", "part of"),
    ],
)
def test_a_person_is_found_by_any_form_of_their_name(qiao, anonymous, query, reason):
    results = anonymous.get("/api/v1/persons/", {"q": query}).json()["results"]
    assert results[0]["id"] == qiao.slug, query
    assert results[0]["match"]["reasons"][0].startswith(reason)


def test_a_pseudonymous_persons_other_names_find_them_only_for_staff(db, anonymous, viewer):
    person = f.PersonFactory(name="Witness A", is_pseudonym=True, name_original="王小明")
    f.AliasFactory(person=person, name="Wang Xiaoming", kind=cases.AliasKind.LEGAL_NAME)
    for query in ("王小明", "Wang Xiaoming", "wang xiao ming"):
        assert found(anonymous, "/api/v1/persons/", q=query) == set(), query
        assert found(viewer, "/api/v1/persons/", q=query) == {person.slug}, query
    assert found(anonymous, "/api/v1/persons/", q="Witness A") == {person.slug}


def test_cross_entity_search_returns_the_best_of_each_kind(rulings, qiao, anonymous):
    body = anonymous.get("/api/v1/search/", {"q": "torture or qiao", "limit": 2}).json()
    assert set(body["results"]) == {"persons", "cases", "rulings", "treaties", "sources"}
    assert [hit["id"] for hit in body["results"]["persons"]] == [qiao.slug]
    hits = {hit["id"]: hit for hit in body["results"]["rulings"]}
    assert set(hits) == {rulings["en"].slug, rulings["pl"].slug}  # "tortur" is torture's stem
    assert "<mark>torture</mark>" in hits[rulings["en"].slug]["snippet"]
    assert anonymous.get("/api/v1/search/").status_code == 400
    assert anonymous.get("/api/v1/search/", {"q": "x", "limit": 500}).status_code == 400


def test_rebuilding_the_index_finds_the_same(rulings, qiao, anonymous):
    before = found(anonymous, "/api/v1/rulings/", q="tortyr or torture")
    assert rebuild() == {"source": 0, "treaty": 0, "person": 5, "case": 3, "ruling": 3}
    assert found(anonymous, "/api/v1/rulings/", q="tortyr or torture") == before
    assert find_persons("Qiao Jiangjun")[0].person_id == qiao.pk


def test_likely_duplicates_name_their_reasons(qiao):
    duplicate, near = likely_duplicates(["Qiao Jian-Jun", "喬建軍"])
    assert duplicate["person"] == qiao
    assert duplicate["reasons"] == ["Qiao Jian-Jun: same name as “Qiao Jianjun”", "喬建軍: same name as “乔建军”"]
    assert near["person"].name == "Qian Jun"
    assert near["reasons"][0].startswith("Qiao Jian-Jun: spelt like “Qian Jun”")
    assert likely_duplicates(["Dolkun Isa"]) == []
