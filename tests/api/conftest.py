"""Fixtures for the API tests: clients for each kind of user, and a small world of records.

``build_world`` makes one connected record of every kind the API serves (a case with its
persons, detention, events, request, ruling, assurance, breach, notice, treaty, sources and
citations), so that generic tests can walk every endpoint.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.db import models
from rest_framework.test import APIClient

from cases import models as cases
from extraditions.models import CitableModel, PublicationStatus, Visibility
from extraditions.tokens import issue_token
from sources.models import SourceKind
from tests import factories as f
from tests.documents import pdf, upload


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
    pseudonymous person's real names), each hidden text carrying ``marker``.

    ``public``: the public records; ``hidden``: every record the public may not see, of every kind;
    ``named``: the hidden records tests look for by role.
    """
    public, partners = build_public_world(marker)
    return {"public": public, **add_hidden_world(public, partners, marker)}


def build_public_world(marker: str) -> tuple[dict, dict]:
    """The public side of the hidden world: ``build_world("public")`` and the public records that
    hidden ones will touch, before ``add_hidden_world`` links them.

    Also the only hidden records the public side cannot do without: the treaties two public
    requests invoke (a request on a treaty names it, a database constraint), as ``partners``.
    """
    public = build_world("public")
    case = public["case"]
    case_two = public["case_two"] = f.CaseFactory(title="Case public two", summary="Summary public two")
    # A pseudonymous person in cases, in a ruling's parties (the case's), in a notice, an event, a
    # detention and a citation: wherever a person is named.
    pseudonymous = public["pseudonymous"] = f.PersonFactory(
        name="Pseudonym A", is_pseudonym=True, biography="Biography public two"
    )
    f.CaseParticipantFactory(case=case, person=pseudonymous)
    f.CaseParticipantFactory(case=case_two, person=pseudonymous)
    f.CaseEventFactory(case=case, person=pseudonymous, description="Questioned public")
    f.DetentionFactory(case=case_two, person=pseudonymous, place="Prison public two")
    public["notice_two"] = f.InterpolNoticeFactory(subject=pseudonymous, notes="Notice public two")
    # The public ruling's judgment, read page by page: its pages are what a search shows of it.
    public["judgment"] = f.SourceFactory(
        slug="judgment-public", title="Judgment public", kind=SourceKind.COURT_DECISION,
        file=upload("judgment-public.pdf", pdf("Cover", "Judgment public on page two")),
    )
    f.CitationFactory(source=public["judgment"], record=public["ruling"], locator="p. 2")
    f.CitationFactory(source=public["source"], record=pseudonymous, note="Cited public")
    # Public records whose links add_hidden_world points at hidden ones.
    public["assurance_two"] = f.DiplomaticAssuranceFactory(case=case, giver="Embassy")
    public["assurance_three"] = f.DiplomaticAssuranceFactory(case=case_two, giver="Ministry")
    public["alias_two"] = f.AliasFactory(person=public["person"], name="Alias public two")
    partners = {
        "restricted_treaty": f.TreatyFactory(
            slug=f"{marker}-treaty", title=f"{marker} treaty", counterpart="NO", **RESTRICTED
        ),
        "draft_treaty": f.TreatyFactory(
            slug=f"{marker}-draft-treaty", title=f"{marker} draft treaty", counterpart="NO", **DRAFT
        ),
    }
    public["request_two"] = f.ExtraditionRequestFactory(
        case=case, legal_basis=cases.LegalBasis.TREATY, treaty=partners["restricted_treaty"]
    )
    public["request_three"] = f.ExtraditionRequestFactory(
        case=case_two, legal_basis=cases.LegalBasis.TREATY, treaty=partners["draft_treaty"]
    )
    return public, partners


def add_hidden_world(public: dict, partners: dict, marker: str) -> dict:
    """Hidden records of every kind, linked to the public ones by every kind of relation, in both
    directions (a public record naming a hidden one, a hidden record naming a public one);
    tests/test_leak_crawl.py checks that no relation kind is missing. Every text of every hidden
    record then carries ``marker``, and so does its slug where it has one."""
    restricted = build_world(marker, **RESTRICTED)
    draft = build_world(f"{marker} draft", **DRAFT)
    for world in (restricted, draft):  # reference data, public in every world: the public world's group
        world["person"].affiliations.set([public["group"]])
        world.pop("group").delete()
    case, case_two, person_public = public["case"], public["case_two"], public["person"]
    secret_case = restricted["case"]

    # A restricted person in a public case (participant, detention, event), a public notice on them.
    person = restricted_person_in_public_case(marker, public)
    f.AliasFactory(person=person, name=f"{marker} second alias", source=public["source"])
    f.InterpolNoticeFactory(subject=person, notes=marker)
    # A public person in a restricted case.
    f.CaseParticipantFactory(case=secret_case, person=person_public, role=cases.ParticipantRole.CO_ACCUSED)
    f.DetentionFactory(case=secret_case, person=person_public, place=f"{marker} prison two")
    f.CaseEventFactory(case=secret_case, person=person_public, description=f"{marker} event two")
    # A restricted notice on a public person in a public case; a public notice in a restricted case.
    f.InterpolNoticeFactory(subject=person_public, notes=f"{marker} notice", **RESTRICTED).cases.add(case_two)
    public["notice_two"].cases.add(secret_case)

    # A draft ruling in a public case, and a published one in a restricted case (hidden by its case):
    # each assessed a public assurance. A hidden assurance assessed by a public ruling.
    draft_ruling = f.CourtRulingFactory(
        case=case, slug=f"{marker}-draft-ruling", court=f"{marker} court", docket_number=marker, summary=marker,
        **DRAFT,
    )
    ruling_in_secret_case = f.CourtRulingFactory(
        case=secret_case, slug=f"{marker}-ruling", court=f"{marker} Court of Appeal", docket_number=f"{marker} 7/21",
        summary=marker, full_text=marker,
    )
    for assurance, ruling in ((public["assurance_two"], draft_ruling), (public["assurance_three"], ruling_in_secret_case)):
        assurance.assessed_by = ruling
        assurance.save()
    f.DiplomaticAssuranceFactory(case=secret_case, assessed_by=public["ruling"], other_promises=marker)
    # The appeal chain and authorities, both ways: the public ruling reviews and relies on the draft
    # one; the ruling in the restricted case reviews and relies on the public one.
    public["ruling"].reviews, public["ruling"].review_outcome = draft_ruling, cases.ReviewOutcome.OVERTURNED
    public["ruling"].save()
    public["ruling"].relies_on.add(draft_ruling)
    ruling_in_secret_case.reviews, ruling_in_secret_case.review_outcome = public["ruling"], cases.ReviewOutcome.UPHELD
    ruling_in_secret_case.save()
    ruling_in_secret_case.relies_on.add(public["ruling"])
    f.ExtraditionRequestFactory(case=secret_case, legal_basis=cases.LegalBasis.TREATY, treaty=public["treaty"])

    # Breaches of an assurance alone (a breach is of a treaty, an assurance or a provision:
    # cases_breach_of_something), the assurance in a draft case and in a restricted one: hidden
    # by the assurance's case. Then a hidden breach through each of its other links.
    assurance_breaches = [
        f.BreachFactory(treaty=None, assurance=assurance, description=f"{marker} breach", by_whom=marker)
        for assurance in (draft["assurance"], restricted["assurance"])
    ]
    f.BreachFactory(case=case, treaty=partners["draft_treaty"], description=marker)
    f.BreachFactory(treaty=None, provision=public["provision"], case=case, person=person, description=marker)
    f.BreachFactory(treaty=public["treaty"], case=secret_case, person=person_public, description=marker)
    f.BreachFactory(treaty=None, assurance=public["assurance"], person=person, description=marker)

    # The draft treaty is invoked by a public case too (its public request is build_public_world's),
    # and has a step; a restricted case invokes a public treaty.
    case_two.treaty = partners["draft_treaty"]
    case_two.save()
    f.TreatyStepFactory(treaty=partners["draft_treaty"], description=marker)
    f.CaseFactory(slug=f"{marker}-case", title=f"{marker} case", summary=marker, treaty=public["treaty"], **RESTRICTED)

    # A restricted and a draft source: cited for public records (the draft one for each kind), and
    # the restricted one behind a public alias.
    # Both are judgments with a document whose words (and the marker) are on page 2, cited for the
    # public ruling: their text must stay out of its index entry, its page and the public's searches.
    secret_source, draft_source = (
        f.SourceFactory(
            slug=f"{marker}-{name}", title=f"{marker} {name}", kind=SourceKind.COURT_DECISION,
            file=upload(f"{marker}-{name}.pdf", pdf("Cover", f"Judgment {marker} on page two")), **publication,
        )
        for name, publication in (("source", RESTRICTED), ("draft-source", DRAFT))
    )
    f.CitationFactory(source=secret_source, record=case, locator=f"{marker} p. 1")
    f.CitationFactory(source=secret_source, record=public["ruling"], locator="p. 2")
    public_step = public["treaty"].steps.get()
    for record in [*public.values(), public_step]:
        if isinstance(record, CitableModel):
            f.CitationFactory(source=draft_source, record=record, note=marker)
    public["alias_two"].source = secret_source
    public["alias_two"].save()

    # The pseudonymous person's real names: only the pseudonym may show.
    pseudonymous = public["pseudonymous"]
    pseudonymous.name_original = f"{marker}真名"
    pseudonymous.save()
    f.AliasFactory(person=pseudonymous, name=f"{marker} real name", kind=cases.AliasKind.LEGAL_NAME)

    # The public source cites every hidden record that can be cited.
    declared = list(assurance_breaches)
    for record in hidden_records(declared):
        if isinstance(record, CitableModel):
            citation = f.CitationFactory(source=public["source"], record=record, note=marker)
            if record in declared:
                declared.append(citation)
    hidden = hidden_records(declared)
    for record in hidden:
        carry_marker(record, marker)
    assert len(hidden) >= 25
    named = {
        **partners, "restricted_person": person, "draft_ruling": draft_ruling,
        "ruling_in_restricted_case": ruling_in_secret_case, "assurance_breaches": assurance_breaches,
        "restricted_source": secret_source, "draft_source": draft_source,
    }
    return {"hidden": hidden, "named": named, "restricted": restricted, "draft": draft}


def hidden_records(also=()) -> list:
    """Every record of every kind the API serves that the public may not see: those the visibility
    mechanism hides, and ``also`` (records it must hide, whatever it says today)."""
    from extraditions.api.urls import router  # the resources are registered there

    found = {(type(record), record.pk): record for record in also}
    for model in router.model_basenames:
        for record in model.objects.exclude(pk__in=model.objects.public().values("pk")).order_by("pk"):
            found.setdefault((model, record.pk), record)
    return list(found.values())


def carry_marker(record, marker: str) -> None:
    """Put ``marker`` into every text of ``record``, empty ones too, and into its slug: a leak of
    any of them shows. Choices, countries and computed fields stay as they are."""
    changed = False
    for field in record._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices or not field.editable:
            continue
        value = getattr(record, field.attname) or ""
        if marker.lower() in value.lower():
            continue
        if isinstance(field, models.URLField):
            value = f"https://example.org/{marker}/{record._meta.model_name}/{record.pk}"
        elif isinstance(field, models.SlugField):
            value = f"{marker.lower()}-{value}"
        else:  # unique, for fields unique together (a court's docket numbers)
            value = f"{marker} {value or f'{record._meta.model_name} {record.pk}'}"
        setattr(record, field.attname, value[: field.max_length] if field.max_length else value)
        changed = True
    if changed:
        record.save()
