"""Hidden records never move public search results (docs/search.md, "What the public can find").

A ranking that counts documents the public may not see (bm25's corpus-wide document frequencies
and average lengths, a similarity threshold relative to other rows, a count, a facet) tells whoever
watches the scores or the order of public results that hidden records holding a word exist. So a
small public corpus is searched; then many hidden records of every hidden kind are added with the
same words (drafts, records in review, restricted ones, published rulings inside hidden cases,
hidden persons in public cases and public persons in hidden ones, a pseudonymous person's real
names), some are edited and one is deleted; and every public search must answer exactly as before:
the same records, order, scores, snippets, counts and facets, in the API (each list's ``q`` and
``/search/``) and on the public site's pages. Staff, as a control, do find the hidden records.
"""

import re

import pytest
from rest_framework.test import APIClient

from cases import models as cases
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f

from ..api.conftest import client_for, staff_user

QUERIES = [
    "torture",
    "torture assurances",
    '"consular access"',
    "assurances -death",
    "tortyr or torture or hovratt",
    "svea hovratt",
    "qiao",
    "Qiao Jianjun",
    "Qiao Jiangjun",  # a misspelling: trigram similarity
    "乔建军",
    "jianjun",
]
API_LISTS = {  # every list with a search, and a facet of each
    "rulings": "country",
    "cases": "host_country",
    "persons": "current_situation",
    "treaties": "counterpart",
    "sources": "kind",
}
SITE_LISTS = ("/rulings/", "/cases/", "/persons/", "/sources/", "/notices/")
WORDS = "Torture, torture and assurances: consular access was refused. Hovrätt. Tortyr. Qiao Jianjun."
MORE_WORDS = " Torture, torture, consular access."

HIDDEN = {
    "draft": {"publication_status": PublicationStatus.DRAFT},
    "in review": {"publication_status": PublicationStatus.IN_REVIEW},
    "restricted": {"publication_status": PublicationStatus.PUBLISHED, "visibility": Visibility.RESTRICTED},
    "restricted draft": {"publication_status": PublicationStatus.DRAFT, "visibility": Visibility.RESTRICTED},
}


def public_corpus() -> dict:
    """Records of every searchable kind whose parts hold the words of QUERIES, unevenly."""
    qiao = f.PersonFactory(name="Qiao Jianjun", name_original="乔建军", biography="Feared torture after his return.")
    f.AliasFactory(person=qiao, name="Jianjun Qiao", kind=cases.AliasKind.SPELLING_VARIANT)
    qian = f.PersonFactory(name="Qian Jun", occupation="Lawyer", biography="Denied consular access; torture, torture.")
    witness = f.PersonFactory(name="Witness Q", is_pseudonym=True, biography="Assurances were given.")
    li = f.PersonFactory(name="Li Zhihui", biography="Extradition refused over the risk of torture.")

    sweden = f.CaseFactory(title="Qiao Jianjun in Sweden", summary="Risk of torture; consular access denied.",
                           host_country="SE", aftermath_detail="Torture after return, reported twice: torture.")
    poland = f.CaseFactory(title="Torture assurances", summary="Assurances judged unreliable.", host_country="PL")
    thailand = f.CaseFactory(title="Taken from Bangkok", charges="Fraud", host_country="TH",
                             aftermath_detail="Consular access never granted. Assurances -death penalty.")
    for case, persons in ((sweden, [qiao, witness]), (poland, [li]), (thailand, [qian])):
        for person in persons:
            f.CaseParticipantFactory(case=case, person=person)

    f.CourtRulingFactory(case=sweden, court="Svea hovrätt", country="SE", summary="Real risk of torture.",
                         full_text="The court found a risk of torture. " * 3 + "Consular access was denied.")
    f.CourtRulingFactory(case=sweden, court="Högsta domstolen", country="SE", summary="",
                         full_text="Högsta domstolen finner att det finns risk för tortyr. Svea hovrätt erred.")
    f.CourtRulingFactory(case=poland, court="Sąd Apelacyjny", country="PL", summary="Assurances not reliable.",
                         full_text="The assurances against torture and the death penalty were not binding.")
    f.CourtRulingFactory(case=thailand, court="Criminal Court", country="TH", docket_number="T-1",
                         summary="Consular access and torture.", full_text="Torture.")
    f.TreatyFactory(title="Extradition treaty with Sweden", counterpart="SE", notes="A torture clause; assurances.")
    f.TreatyFactory(title="Consular access agreement", counterpart="TH", notes="Consular access within days.")
    f.SourceFactory(title="Torture report", author="Qiao Jianjun", notes="Consular access denied.")
    f.SourceFactory(title="Assurances study", publisher="A university", notes="Torture, torture, torture.")
    f.InterpolNoticeFactory(subject=qiao, notes="Torture feared.")
    return {"qiao": qiao, "witness": witness, "sweden": sweden, "poland": poland}


def add_hidden_records(public: dict, copies: int = 3) -> dict[str, list]:
    """Hidden records of every hidden kind holding the words the public searches for, by kind."""
    hidden = {"persons": [], "cases": [], "rulings": [], "treaties": [], "sources": []}
    for label, status in HIDDEN.items():
        for n in range(copies):
            person = f.PersonFactory(name="Qiao Jianjun", name_original="乔建军", biography=WORDS, occupation="Torture",
                                     **status)
            f.AliasFactory(person=person, name="Qiao Jiangjun torture")
            f.AliasFactory(person=person, name=f"Jianjun {label} {n}")
            case = f.CaseFactory(title=f"Torture assurances {label}", summary=WORDS, charges="Torture",
                                 aftermath_detail=WORDS * 3, host_country="SE", **status)
            f.CaseParticipantFactory(case=case, person=person)
            f.CaseParticipantFactory(case=case, person=public["qiao"])  # a public person in a hidden case
            f.CaseParticipantFactory(case=public["sweden"], person=person)  # a hidden person in a public case
            hidden_ruling = f.CourtRulingFactory(case=public["poland"], court="Svea hovrätt", summary=WORDS,
                                                 full_text=WORDS * 5, docket_number=f"Torture {label} {n}", **status)
            in_hidden_case = f.CourtRulingFactory(case=case, court="Svea hovrätt", summary=WORDS, full_text=WORDS)  # published
            f.InterpolNoticeFactory(subject=person, notes="Torture feared.", **status)
            hidden["persons"].append(person)
            hidden["cases"].append(case)
            hidden["rulings"] += [hidden_ruling, in_hidden_case]
            hidden["treaties"].append(
                f.TreatyFactory(title=f"Consular access torture treaty {label} {n}", counterpart="SE", notes=WORDS, **status)
            )
            hidden["sources"].append(f.SourceFactory(title="Torture assurances", author="Qiao Jianjun", notes=WORDS, **status))
    # A public pseudonymous person's real names are hidden too.
    f.AliasFactory(person=public["witness"], name="Qiao Jianjun", kind=cases.AliasKind.LEGAL_NAME)
    f.AliasFactory(person=public["witness"], name="乔建军", kind=cases.AliasKind.LEGAL_NAME)
    return hidden


def edit_some(hidden: dict[str, list]) -> None:
    """More of the words in every third hidden record; drafts sent for review; a title that is the
    query itself; a hidden ruling deleted."""
    for records in hidden.values():
        for record in records[::3]:
            for field in ("summary", "biography", "notes"):
                if hasattr(record, field):
                    setattr(record, field, getattr(record, field) + MORE_WORDS)
            if record.publication_status == PublicationStatus.DRAFT:
                record.publication_status = PublicationStatus.IN_REVIEW
            record.save()
    case = hidden["cases"][1]
    case.title = "Torture"
    case.save()
    hidden["rulings"].pop(2).delete()


def api_answers(client) -> dict:
    """Everything the API answers to QUERIES: each list, with a facet, and the cross-kind search."""
    answers = {}
    for query in QUERIES:
        for kind, facet in API_LISTS.items():
            answers[kind, query] = get_json(client, f"/api/v1/{kind}/", q=query, page_size=1000, facet=facet)
        answers["search", query] = get_json(client, "/api/v1/search/", q=query, limit=50)
    return answers


def get_json(client, url, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, (url, params, response.content)
    return response.json()


NONCE = re.compile(r'nonce="[^"]*"')


def site_answers(client) -> dict:
    """The public site's search pages: the records listed, in order, with snippets; and the page."""
    answers = {}
    for query in QUERIES:
        for url in SITE_LISTS:
            response = client.get(url, {"q": query})
            assert response.status_code == 200, url
            listed = [(record.pk, getattr(record, "snippet", "")) for record in response.context["page_obj"].object_list]
            answers[url, query] = (listed, NONCE.sub("", response.content.decode()))
    return answers


def matches(answers: dict, kind: str, query: str) -> list[tuple[str, dict]]:
    return [(result["id"], result["match"]) for result in answers[kind, query]["results"]]


@pytest.mark.django_db
def test_hidden_records_change_no_public_search_result_order_or_score(client):
    public = APIClient()
    corpus = public_corpus()
    api_before, site_before = api_answers(public), site_answers(client)
    # Several matches with different scores, or the comparison would prove little.
    torture = matches(api_before, "rulings", "torture")
    assert len(torture) == 3 and len({match["relevance"] for _, match in torture}) >= 2
    assert len(matches(api_before, "cases", "torture")) == 2
    assert [match["reasons"] for _, match in matches(api_before, "persons", "Qiao Jiangjun")][0][0].startswith("spelt like")

    hidden = add_hidden_records(corpus)
    edit_some(hidden)
    assert sum(len(records) for records in hidden.values()) >= 70

    api_after, site_after = api_answers(public), site_answers(client)
    for key, before in api_before.items():
        assert api_after[key] == before, key
    for key, before in site_before.items():
        assert site_after[key] == before, key

    # Control: staff find the hidden records, so the searches above could have shown them.
    staff = client_for(staff_user("viewer"))
    for kind, query in (("rulings", "torture"), ("cases", "torture"), ("persons", "Qiao Jianjun"),
                        ("treaties", "torture"), ("sources", "torture")):
        public_ids = {record_id for record_id, _ in matches(api_after, kind, query)}
        staff_ids = {result["id"] for result in get_json(staff, f"/api/v1/{kind}/", q=query, page_size=1000)["results"]}
        assert public_ids < staff_ids and len(staff_ids - public_ids) >= 8, kind
