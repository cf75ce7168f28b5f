"""One visibility mechanism for every model: published and public, directly or through parents."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import Alias, CaseParticipant, CourtRuling, Detention, InterpolNotice, Person
from extraditions.models import PublicationStatus, Visibility
from tests.factories import (
    AliasFactory,
    CaseParticipantFactory,
    CourtRulingFactory,
    DetentionFactory,
    InterpolNoticeFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
RESTRICTED = {"visibility": Visibility.RESTRICTED}
DRAFT = {"publication_status": PublicationStatus.DRAFT}


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("researcher", password="x" * 12, is_staff=True)


def test_only_published_public_records_are_public():
    visible = PersonFactory()
    PersonFactory(**RESTRICTED)
    PersonFactory(**DRAFT)
    PersonFactory(publication_status=PublicationStatus.IN_REVIEW)
    assert list(Person.objects.public()) == [visible]
    assert list(Person.objects.visible_to(AnonymousUser())) == [visible]


def test_staff_see_everything(staff):
    PersonFactory()
    PersonFactory(**RESTRICTED)
    PersonFactory(**DRAFT)
    assert Person.objects.visible_to(staff).count() == 3


def test_children_follow_their_parents():
    hidden_person = PersonFactory(**RESTRICTED)
    AliasFactory(person=hidden_person)
    shown_alias = AliasFactory()
    assert list(Alias.objects.public()) == [shown_alias]

    # A public case does not reveal a restricted participant.
    participant = CaseParticipantFactory()
    CaseParticipantFactory(case=participant.case, person=hidden_person)
    assert list(CaseParticipant.objects.public()) == [participant]


def test_an_empty_optional_link_hides_nothing_but_a_restricted_one_does():
    group_detention = DetentionFactory(person=None)
    DetentionFactory(person=PersonFactory(**RESTRICTED))
    DetentionFactory(case__publication_status=PublicationStatus.DRAFT)
    assert list(Detention.objects.public()) == [group_detention]


def test_a_notice_on_a_restricted_person_is_hidden():
    InterpolNoticeFactory(subject=PersonFactory(**RESTRICTED))
    unnamed = InterpolNoticeFactory(subject=None, subject_description="Unnamed Uyghur")
    assert list(InterpolNotice.objects.public()) == [unnamed]


def test_a_ruling_is_hidden_with_its_case():
    CourtRulingFactory(case__visibility=Visibility.RESTRICTED)
    shown = CourtRulingFactory()
    assert list(CourtRuling.objects.public()) == [shown]


# --- the declaration cannot be forgotten -------------------------------------------------------------


def domain_models():
    from django.apps import apps

    from extraditions.models import BaseModel

    return [
        model for model in apps.get_models()
        if issubclass(model, BaseModel) and model._meta.app_label in ("cases", "treaties", "sources")
    ]


def links(model):
    """Every relation a record of ``model`` holds to another record: foreign keys, many-to-many, generic."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    for field in model._meta.get_fields():
        if isinstance(field, GenericForeignKey):
            yield field, None
        elif (
            field.is_relation and not field.auto_created and (field.many_to_one or field.one_to_one or field.many_to_many)
            and field.related_model._meta.app_label != "contenttypes"
        ):
            yield field, field.related_model


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model.__name__)
def test_every_link_to_a_record_with_visibility_is_declared(model):
    """A link to a record that can be hidden either decides this record's visibility (a path of
    ``visibility_paths``) or is waived with a reason, and is then shown only when its target is."""
    from extraditions.visibility import carries_visibility

    heads = {path.lstrip("?").split("__")[0] for path in model.visibility_paths if path.lstrip("?")}
    heads |= set(model.visibility_generic_paths)
    undeclared = []
    for field, target in links(model):
        if target is not None and not carries_visibility(target):
            continue  # reference data, public whatever links to it
        if field.name in heads:
            continue
        reason = model.visibility_waivers.get(field.name, "")
        if len(reason.split()) < 4:
            undeclared.append(field.name)
        elif target is not None and not field.many_to_many:
            assert field.null, f"{model.__name__}.{field.name}: a waived link must be able to read as empty"
    assert not undeclared, (
        f"{model.__name__}: {undeclared} link to records that can be hidden; add each to visibility_paths "
        f"or to visibility_waivers with the reason"
    )
    for name in model.visibility_waivers:
        assert name not in heads, f"{model.__name__}.{name} is both a visibility path and waived"
        model._meta.get_field(name)  # a waiver names a real field


@pytest.mark.parametrize("model", domain_models(), ids=lambda model: model.__name__)
def test_every_path_is_a_chain_of_links(model):
    for path in model.visibility_paths:
        current = model
        for part in [p for p in path.lstrip("?").split("__") if p]:
            field = current._meta.get_field(part)
            assert field.many_to_one or field.one_to_one, f"{model.__name__}: {path} must follow forward links"
            current = field.related_model
        assert hasattr(current, "publication_status"), f"{model.__name__}: {path} must end at a publishable record"


def all_hidden_world_records():
    from tests.api.conftest import build_hidden_world

    world = build_hidden_world("Hidden")
    return world


def test_the_check_in_memory_agrees_with_the_database_on_every_record():
    """For every record of every kind in a world of hidden and public records, the check made on a
    loaded record (extraditions.visibility.is_public) says what the database's filter says."""
    from extraditions.visibility import is_public

    all_hidden_world_records()
    checked = 0
    for model in domain_models():
        public = set(model.objects.public().values_list("pk", flat=True))
        for record in model.objects.all():
            assert is_public(record) == (record.pk in public), (model.__name__, record.pk, str(record))
            checked += 1
    assert checked > 100


def test_a_citation_is_public_only_with_its_source_and_its_record():
    from extraditions.visibility import is_public
    from sources.models import Citation
    from tests.factories import CaseFactory, CitationFactory, SourceFactory

    hidden_record = CitationFactory(record=CaseFactory(**DRAFT), source=SourceFactory())
    hidden_source = CitationFactory(record=CaseFactory(), source=SourceFactory(**RESTRICTED))
    shown = CitationFactory(record=CaseFactory(), source=SourceFactory())
    assert list(Citation.objects.public()) == [shown]
    assert [is_public(c) for c in (hidden_record, hidden_source, shown)] == [False, False, True]


def test_no_public_label_holds_a_pseudonymous_persons_other_names():
    """Every record's public label: defined by its model (no fallback to a name that may hold a
    person's original name), and never holding a pseudonymous person's other names."""
    from cases.models import CaseParticipant
    from tests.factories import CaseParticipantFactory

    pseudonymous = PersonFactory(name="Pseudonym B", is_pseudonym=True, name_original="Zqxj真名")
    CaseParticipantFactory(person=pseudonymous)
    all_hidden_world_records()
    labelled = 0
    for model in domain_models():
        for record in model.objects.all():
            assert "zqxj" not in record.public_label.lower(), (model.__name__, record.public_label)
            labelled += 1
    assert labelled > 100
    assert "Zqxj" in str(CaseParticipant.objects.get(person=pseudonymous))  # staff still read the full name
