"""Rulings found by meaning, as a defence lawyer searches them, alike on SQLite and PostgreSQL.

Words are stemmed (torture, tortured, torturing); a ruling is found by the words lawyers use for
the provisions it relies on (its grounds) and by the usual ways of writing them; a ruling whose
grounds or assessment of assurances answer the query ranks above one that mentions the words in
passing; and every result says why it matched (docs/search.md, "Legal grounds").
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cases import models as cases
from tests import factories as f

from .conftest import RESTRICTED


def search(client, query: str, **params) -> list[dict]:
    response = client.get("/api/v1/rulings/", {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def found(client, query: str) -> set[str]:
    return {result["id"] for result in search(client, query)}


def provision(instrument, article, **fields):
    fields.setdefault("title", "")
    return f.LegalProvisionFactory(slug=f"{instrument}-{article}".replace("_", "-"), instrument=instrument, article=article, **fields)


@pytest.fixture
def grounds(db):
    """A ruling on each torture article, none of them using the word; one on a fair trial alone."""
    made = {}
    for key, instrument, article in (
        ("echr", cases.Instrument.ECHR, "3"),
        ("cat", cases.Instrument.CAT, "3"),
        ("charter", cases.Instrument.EU_CHARTER, "4"),
        ("iccpr", cases.Instrument.ICCPR, "7"),
        ("fair", cases.Instrument.ECHR, "6"),
    ):
        ruling = f.CourtRulingFactory(court=f"Court {key}", summary="Extradition refused.", full_text="")
        ruling.grounds.add(provision(instrument, article))
        made[key] = ruling
    return made


def test_torture_finds_the_rulings_on_every_torture_article_and_says_why(grounds, anonymous):
    results = {result["id"]: result for result in search(anonymous, "torture")}
    assert set(results) == {grounds[key].slug for key in ("echr", "cat", "charter", "iccpr")}
    reasons = {slug: result["match"]["reasons"] for slug, result in results.items()}
    assert reasons[grounds["echr"].slug] == ["relies on ECHR art. 3 — matched “torture”"]
    assert reasons[grounds["iccpr"].slug] == ["relies on ICCPR art. 7 — matched “torture”"]
    # In the courts' languages too.
    for word in ("tortyr", "tortury", "mučení", "mučeni", "Folter"):
        assert found(anonymous, word) == set(results), word


@pytest.mark.parametrize("query", ["torture", "tortured", "torturing", "tortures"])
def test_a_word_finds_its_other_forms(db, anonymous, query):
    ruling = f.CourtRulingFactory(summary="He said he had been tortured in detention.")
    f.CourtRulingFactory(summary="Nothing of the kind.")
    results = search(anonymous, query)
    assert [result["id"] for result in results] == [ruling.slug]
    assert "<mark>tortured</mark>" in results[0]["match"]["snippet"]


def test_a_phrase_matches_the_forms_of_its_words_in_order(db, anonymous):
    ruling = f.CourtRulingFactory(summary="The assurances of consular visits were not binding.")
    assert found(anonymous, '"assurance of consular visit"') == {ruling.slug}
    assert found(anonymous, '"consular assurances"') == set()


@pytest.mark.parametrize(
    "query", ["ECHR art. 3", "art. 3", "Article 3 ECHR", "Art. 3 EMRK", "article 3 of the CEDH", "\"Art. 3 EMRK\""]
)
def test_a_ground_is_found_by_any_usual_way_of_writing_it(grounds, anonymous, query):
    matched = found(anonymous, query)
    assert grounds["echr"].slug in matched, query
    assert grounds["fair"].slug not in matched, query  # ECHR art. 6 alone is not art. 3


def test_grounds_and_assessments_rank_above_a_mention_in_passing(db, anonymous):
    passing = f.CourtRulingFactory(court="Lower court", summary="Permitted; the assurances were not examined.")
    judged = f.CourtRulingFactory(
        court="Supreme court", summary="Refused.", assurance_assessment=cases.AssuranceAssessment.REJECTED_UNRELIABLE
    )
    for query in ("assurance", "assurances"):
        results = search(anonymous, query)
        assert [result["id"] for result in results] == [judged.slug, passing.slug], query
        assert results[0]["match"]["reasons"][0] == "China's assurances: rejected as unreliable — matched “assurances”"
        assert results[1]["match"]["reasons"] == ["in the summary — matched “assurances”"]

    on_ground = f.CourtRulingFactory(court="Appeal court", summary="Refused.", full_text="")
    on_ground.grounds.add(provision(cases.Instrument.ECHR, "3"))
    mention = f.CourtRulingFactory(court="Other court", summary="The torture allegations were not relevant here.")
    assert [result["id"] for result in search(anonymous, "torture")] == [on_ground.slug, mention.slug]


def test_a_provisions_own_vocabulary_and_its_edits_reach_the_rulings(db, anonymous):
    law = f.LegalProvisionFactory(
        slug="pl-life", instrument=cases.Instrument.NATIONAL_LAW, instrument_name="Polish law", country="PL", article="",
        title="",
    )
    ruling = f.CourtRulingFactory(summary="Refused.")
    ruling.grounds.add(law)  # the index follows the grounds' list
    assert found(anonymous, "dożywotnie") == set()
    law.vocabulary = "life imprisonment, dożywotnie pozbawienie wolności"
    law.save()
    assert found(anonymous, "dozywotnie") == {ruling.slug}
    assert search(anonymous, "life imprisonment")[0]["match"]["reasons"] == [
        "relies on Polish law — matched “life”, “imprisonment”"
    ]
    ruling.grounds.remove(law)
    assert found(anonymous, "dozywotnie") == set()


def test_a_hidden_ruling_is_not_found_by_its_grounds(grounds, anonymous, viewer):
    hidden = f.CourtRulingFactory(summary="Refused.", **RESTRICTED)
    hidden.grounds.add(cases.LegalProvision.objects.get(slug="echr-3"))
    assert hidden.slug not in found(anonymous, "torture")
    assert hidden.slug in found(viewer, "torture")


def test_on_the_seed_data_torture_finds_the_three_art_3_refusals(db, anonymous):
    call_command("load_seed_data", stdout=io.StringIO())
    refusals = {
        "se-supreme-court-qiao-jianjun-2019",
        "pl-warsaw-appeal-court-li-zhihui-2021",
        "cz-supreme-court-eight-taiwanese-2020",
    }
    results = search(anonymous, "torture")
    assert refusals <= {result["id"] for result in results}
    for result in results:
        if result["id"] in refusals:
            assert "relies on ECHR art. 3 (Prohibition of torture) — matched “torture”" in result["match"]["reasons"]
    # With the European Court's Liu v. Poland (ECHR art. 3 too), they rank above the courts whose
    # summaries only mention torture.
    assert {result["id"] for result in results[:4]} == {*refusals, "echr-liu-v-poland-2022"}
    # Singular and plural find the same rulings; those that judged the assurances come first.
    assert found(anonymous, "assurance") == found(anonymous, "assurances")
    ranked = [result["id"] for result in search(anonymous, "assurances")]
    assert ranked[-1] == "cz-lower-court-eight-taiwanese"


@pytest.mark.parametrize("query", ["ECHR art. 3", "Art. 3 EMRK", "torture"])
def test_the_workspace_finds_a_ground_as_it_is_displayed(grounds, admin_client, query):
    hidden = f.CourtRulingFactory(court="Restricted court", summary="Refused.", **RESTRICTED)
    hidden.grounds.add(cases.LegalProvision.objects.get(slug="echr-3"))
    page = admin_client.get("/admin/cases/courtruling/", {"q": query}).content.decode()
    assert "Court echr" in page and "Restricted court" in page, query  # staff see every record
    assert "Court fair" not in page, query


def test_the_site_says_why_and_its_unknown_facets_keep_the_search(grounds, client):
    import re
    from html import unescape

    f.CourtRulingFactory(court="Undated court", summary="The risk of torture was not examined.", country="", international_body="UN")
    page = client.get("/rulings/", {"q": "torture"}).content.decode()
    assert "relies on ECHR art. 3 — matched “torture”" in page
    assert "in the summary — matched “torture”" in page
    links = re.findall(r'href="(\?[^"]*=none[^"]*)"[^>]*>\s*Unknown\s*<[^>]*>\s*\(?(\d+)', page)
    assert links, "the Unknown facet values are links"
    for href, count in links:
        params = unescape(href)
        assert "q=torture" in params
        listed = client.get(f"/rulings/{params}").content.decode()
        assert re.search(rf"\b{count} rulings?\b", listed), (params, count)
