"""Fixtures for the API tests: clients for each kind of user, and a small world of records.

``build_world`` makes one connected record of every kind the API serves (a case with its
persons, detention, events, request, ruling, assurance, breach, notice, treaty, sources and
citations), so that generic tests can walk every endpoint.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from cases import models as cases
from extraditions.models import PublicationStatus, Visibility
from extraditions.tokens import issue_token
from tests import factories as f


def build_world(tag: str = "", **publication) -> dict:
    """One record of every kind, all linked; ``tag`` goes into every name and text.

    ``publication`` (publication_status=…, visibility=…) applies to every publishable record.
    """
    pub = publication or {}
    source = f.SourceFactory(title=f"Report {tag}", **pub)
    treaty = f.TreatyFactory(title=f"Treaty {tag}", notes=f"Notes {tag}", counterpart="SE", **pub)
    f.TreatyStepFactory(treaty=treaty, description=f"Vote {tag}")
    group = f.AffiliationFactory()  # reference data: public whatever the world
    person = f.PersonFactory(name=f"Person {tag}", biography=f"Biography {tag}", citizenships=["CN"], **pub)
    person.affiliations.add(group)
    f.AliasFactory(person=person, name=f"Alias {tag} {person.pk}", source=source)
    case = f.CaseFactory(title=f"Case {tag}", summary=f"Summary {tag}", treaty=treaty, host_country="SE", **pub)
    f.CaseParticipantFactory(case=case, person=person)
    detention = f.DetentionFactory(case=case, person=person, place=f"Prison {tag}")
    event = f.CaseEventFactory(case=case, person=person, description=f"Arrested {tag}")
    request = f.ExtraditionRequestFactory(case=case, offences=f"Fraud {tag}")
    provision = f.LegalProvisionFactory()
    ruling = f.CourtRulingFactory(
        case=case, summary=f"Refused {tag}", full_text=f"Full text {tag}", decided_on=datetime.date(2020, 5, 4),
        decided_on_precision="day", **pub,
    )
    ruling.grounds.add(provision)
    assurance = f.DiplomaticAssuranceFactory(case=case, assessed_by=ruling, other_promises=f"Promise {tag}")
    breach = f.BreachFactory(treaty=treaty, case=case, person=person, description=f"Breach {tag}")
    notice = f.InterpolNoticeFactory(subject=person, notes=f"Notice {tag}", **pub)
    notice.cases.add(case)
    figure = f.ReportedFigureFactory(metric_detail=f"Counted {tag}", **pub)
    for record in (case, person, ruling, detention, event, request, assurance, breach, notice, treaty, figure):
        f.CitationFactory(source=source, record=record, note=f"Cited {tag}")
    return {
        "source": source, "treaty": treaty, "group": group, "person": person, "case": case, "detention": detention,
        "event": event, "request": request, "provision": provision, "ruling": ruling, "assurance": assurance,
        "breach": breach, "notice": notice, "figure": figure,
    }


@pytest.fixture
def anonymous():
    return APIClient()


def staff_user(username: str, *permissions: str) -> User:
    user = User.objects.create_user(username, password="a-long-password-for-tests", is_staff=True)
    for codename in permissions:
        app_label, codename = codename.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)  # fresh permission cache


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'API tests')[1]}")
    return client


@pytest.fixture
def viewer(db):
    return client_for(staff_user("viewer"))


@pytest.fixture
def researcher(db):
    perms = [f"cases.{action}_{model}" for action in ("add", "change") for model in ("case", "person", "courtruling")]
    return client_for(staff_user("researcher", *perms))


@pytest.fixture
def editor(db):
    perms = [f"cases.{action}_{model}" for action in ("add", "change", "publish") for model in ("case", "person", "courtruling")]
    return client_for(staff_user("editor", *perms))


RESTRICTED = {"visibility": Visibility.RESTRICTED, "publication_status": PublicationStatus.PUBLISHED}
DRAFT = {"publication_status": PublicationStatus.DRAFT}


def restricted_person_in_public_case(marker: str, public: dict) -> cases.Person:
    person = f.PersonFactory(
        slug=f"{marker}-person", name=f"{marker} Person", name_original=f"{marker}原名", biography=marker, **RESTRICTED
    )
    f.AliasFactory(person=person, name=f"{marker} alias")
    f.CaseParticipantFactory(case=public["case"], person=person, role=cases.ParticipantRole.CO_ACCUSED)
    f.DetentionFactory(case=public["case"], person=person, place=f"{marker} prison")
    f.CaseEventFactory(case=public["case"], person=person, description=f"{marker} event")
    return person


def build_hidden_world(marker: str) -> dict:
    """A public world, and everything hidden that touches it (restricted and draft records, a
    pseudonymous person's real names), each hidden text carrying ``marker``: the public records and
    the hidden ones."""
    public = build_world("public")
    restricted_world = build_world(marker, **RESTRICTED)
    draft_world = build_world(f"{marker} draft", **DRAFT)

    person = restricted_person_in_public_case(marker, public)
    f.InterpolNoticeFactory(subject=person, notes=marker)  # public notice, restricted subject: hidden

    draft_ruling = f.CourtRulingFactory(case=public["case"], summary=marker, docket_number=marker, **DRAFT)
    f.DiplomaticAssuranceFactory(case=public["case"], assessed_by=draft_ruling, giver="Embassy")
    secret_source = f.SourceFactory(title=f"{marker} source", **RESTRICTED)
    f.CitationFactory(source=secret_source, record=public["case"], locator=f"{marker} p. 1")

    # A public, pseudonymous person: only the pseudonym may show.
    pseudonymous = f.PersonFactory(name="Pseudonym A", is_pseudonym=True, name_original=f"{marker}真名")
    f.AliasFactory(person=pseudonymous, name=f"{marker} real name", kind=cases.AliasKind.LEGAL_NAME)
    f.CaseParticipantFactory(case=public["case"], person=pseudonymous)

    # A restricted treaty behind a public case's request.
    secret_treaty = f.TreatyFactory(title=f"{marker} treaty", counterpart="NO", **RESTRICTED)
    f.ExtraditionRequestFactory(case=public["case"], legal_basis=cases.LegalBasis.TREATY, treaty=secret_treaty)

    candidates = [*restricted_world.values(), *draft_world.values(), person, draft_ruling, secret_source, secret_treaty]
    # Reference data (affiliations, legal provisions) is public in every world.
    hidden_records = [r for r in candidates if not type(r).objects.public().filter(pk=r.pk).exists()]
    assert len(hidden_records) >= 25
    return {"public": public, "hidden": hidden_records}
