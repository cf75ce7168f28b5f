"""Decisions as courts make them: the appeal chain (which ruling a ruling reviews, and what it did
to it) and the rulings a ruling relies on, in the API, on the ruling and case pages, and in the
database's rules; a hidden ruling never shows in another's chain or authorities."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases import models as cases
from tests import factories as f

from .conftest import RESTRICTED


@pytest.fixture
def chain(db):
    """A first instance permitting extradition, upheld on appeal and in cassation; a human-rights
    court then finding that the return would violate art. 3; a later ruling relying on it."""
    case = f.CaseFactory(title="Extradition to China from Poland")
    day = datetime.date

    def ruling(court, decided, **fields):
        return f.CourtRulingFactory(case=case, court=court, decided_on=decided, decided_on_precision="day", **fields)

    first = ruling("Regional Court", day(2018, 2, 1), level=cases.CourtLevel.FIRST_INSTANCE,
                   decision=cases.RulingDecision.EXTRADITION_PERMITTED)
    appeal = ruling("Court of Appeal", day(2018, 7, 26), level=cases.CourtLevel.APPEAL, reviews=first,
                    review_outcome=cases.ReviewOutcome.UPHELD, decision=cases.RulingDecision.EXTRADITION_PERMITTED)
    supreme = ruling("Supreme Court", day(2020, 10, 1), reviews=appeal, review_outcome=cases.ReviewOutcome.UPHELD,
                     decision=cases.RulingDecision.EXTRADITION_PERMITTED)
    echr = ruling("European Court of Human Rights", day(2022, 10, 6), country="", international_body="ECtHR",
                  level=cases.CourtLevel.REGIONAL_HUMAN_RIGHTS, decision=cases.RulingDecision.WOULD_VIOLATE,
                  assurance_assessment=cases.AssuranceAssessment.REJECTED_INSUFFICIENT)
    later = f.CourtRulingFactory(court="Later court", decided_on=day(2023, 5, 1), decided_on_precision="day")
    later.relies_on.add(echr)
    return {"first": first, "appeal": appeal, "supreme": supreme, "echr": echr, "later": later}


def detail(client, ruling) -> dict:
    response = client.get(f"/api/v1/rulings/{ruling.slug}/")
    assert response.status_code == 200, response.content
    return response.json()


def ids(summaries) -> list[str]:
    return [summary["id"] for summary in summaries]


def test_the_api_gives_the_chain_both_ways_and_the_authorities(chain, anonymous):
    appeal = detail(anonymous, chain["appeal"])
    assert appeal["reviews"]["id"] == chain["first"].slug
    assert appeal["review_outcome"] == "upheld"
    assert ids(appeal["reviewed_by"]) == [chain["supreme"].slug]
    assert ids(detail(anonymous, chain["first"])["reviewed_by"]) == [chain["appeal"].slug]
    echr = detail(anonymous, chain["echr"])
    assert echr["decision"] == "would_violate" and echr["assurance_assessment"] == "rejected_insufficient"
    assert ids(echr["relied_on_by"]) == [chain["later"].slug]
    assert ids(detail(anonymous, chain["later"])["relies_on"]) == [chain["echr"].slug]
    listed = {r["id"]: r for r in anonymous.get("/api/v1/rulings/", {"case": chain["first"].case.slug}).json()["results"]}
    assert listed[chain["supreme"].slug]["reviews"]["id"] == chain["appeal"].slug


def test_a_hidden_ruling_leaves_the_chain_and_the_authorities_for_the_public(chain, anonymous, viewer):
    appeal = chain["appeal"]
    appeal.visibility, appeal.publication_status = RESTRICTED["visibility"], RESTRICTED["publication_status"]
    appeal.save()
    chain["later"].relies_on.add(appeal)
    supreme = detail(anonymous, chain["supreme"])
    assert supreme["reviews"] is None and supreme["review_outcome"] == ""  # "upheld" would tell of a hidden ruling
    assert "On review" not in anonymous.get(chain["supreme"].get_absolute_url()).content.decode()
    assert detail(anonymous, chain["first"])["reviewed_by"] == []
    assert ids(detail(anonymous, chain["later"])["relies_on"]) == [chain["echr"].slug]
    assert appeal.slug not in anonymous.get(f"/api/v1/rulings/{chain['later'].slug}/").content.decode()
    assert detail(viewer, chain["supreme"])["reviews"]["id"] == appeal.slug
    assert appeal.slug in ids(detail(viewer, chain["later"])["relies_on"])
    for page in (chain["supreme"], chain["first"], chain["later"]):
        assert "Court of Appeal" not in anonymous.get(page.get_absolute_url()).content.decode()
    assert "Court of Appeal" not in anonymous.get(chain["first"].case.get_absolute_url()).content.decode()


def test_the_ruling_and_case_pages_show_the_chain(chain, client):
    page = client.get(chain["supreme"].get_absolute_url()).content.decode()
    chain_part = page[page.index("Appeal chain"):]
    positions = [chain_part.index(court) for court in ("Regional Court", "Court of Appeal", "Supreme Court")]
    assert positions == sorted(positions)
    assert "upheld" in chain_part.lower()
    echr_page = client.get(chain["echr"].get_absolute_url()).content.decode()
    assert "Relied on by" in echr_page and "Later court" in echr_page
    assert "Would violate the person&#x27;s rights if returned" in echr_page
    case_page = client.get(chain["first"].case.get_absolute_url()).content.decode()
    assert "On review of Regional Court, 1 February 2018: upheld" in case_page


def test_the_chain_is_kept_consistent(chain, editor):
    first, supreme = chain["first"], chain["supreme"]
    first.reviews = supreme  # first → supreme → appeal → first: a circle
    with pytest.raises(ValidationError, match="circle"):
        first.full_clean()
    first.refresh_from_db()
    first.review_outcome = cases.ReviewOutcome.OVERTURNED  # an outcome of nothing reviewed
    with pytest.raises(ValidationError, match="needs the ruling it reviews"):
        first.full_clean()
    with transaction.atomic(), pytest.raises(IntegrityError):
        cases.CourtRuling.objects.filter(pk=first.pk).update(review_outcome="overturned")
    with transaction.atomic(), pytest.raises(IntegrityError):
        cases.CourtRuling.objects.filter(pk=first.pk).update(reviews=first)
    url = f"/api/v1/rulings/{chain['echr'].slug}/"
    refused = editor.patch(url, {"relies_on": [chain["echr"].slug]}, format="json")
    assert refused.status_code == 400 and "relies_on" in refused.json()["errors"]
    refused = editor.patch(url, {"review_outcome": "upheld"}, format="json")
    assert refused.status_code == 400
    accepted = editor.patch(url, {"reviews": supreme.slug, "review_outcome": "overturned"}, format="json")
    assert accepted.status_code == 200, accepted.content
