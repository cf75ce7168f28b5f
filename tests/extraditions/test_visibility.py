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
