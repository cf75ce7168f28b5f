"""What the public sees changes only when an editor approves: a researcher's change to anything
public is held as a pending change (extraditions/changes.py)."""

import pytest

from cases import models as m
from extraditions.changes import PendingChange, PendingChangeStatus, StaleChange
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f
from tests.api.conftest import staff_user

pytestmark = pytest.mark.django_db


def member_of(role: str, username: str):
    from django.contrib.auth.models import Group

    from extraditions.roles import setup_roles

    setup_roles()
    user = staff_user(username)
    user.groups.add(Group.objects.get(name=role))
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def researcher_user(db):
    return member_of("researcher", "res")


@pytest.fixture
def editor_user(db):
    return member_of("editor", "ed")


def api_client(user):
    from tests.api.conftest import client_for

    return client_for(user)


def test_a_researchers_edit_of_a_published_case_waits_for_an_editor(researcher_user, editor_user, client):
    case = f.CaseFactory(title="Approved title")
    response = api_client(researcher_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "New title"}, format="json")
    assert response.status_code == 202, response.content
    assert client.get(f"/api/v1/cases/{case.slug}/").json()["title"] == "Approved title"
    pending = PendingChange.objects.get()
    assert pending.author == researcher_user and pending.status == PendingChangeStatus.PENDING
    assert {"field": "title", "before": "Approved title", "after": "New title"} in pending.differences()[0]["fields"]

    pending.approve(editor_user)
    assert client.get(f"/api/v1/cases/{case.slug}/").json()["title"] == "New title"
    pending.refresh_from_db()
    assert pending.status == PendingChangeStatus.APPROVED and pending.decided_by == editor_user


def test_a_new_child_of_a_published_case_waits_and_is_created_on_approval(researcher_user, editor_user, client):
    case = f.CaseFactory()
    response = api_client(researcher_user).post(
        "/api/v1/detentions/", {"case": case.slug, "place": "Bangkok immigration centre"}, format="json"
    )
    assert response.status_code == 202, response.content
    assert not m.Detention.objects.exists()
    PendingChange.objects.get().approve(editor_user)
    assert m.Detention.objects.get().place == "Bangkok immigration centre"


def test_drafts_change_at_once_and_restricting_protects_at_once(researcher_user):
    draft = f.CaseFactory(publication_status=PublicationStatus.DRAFT)
    client = api_client(researcher_user)
    assert client.patch(f"/api/v1/cases/{draft.slug}/", {"title": "Draft title"}, format="json").status_code == 200
    public = f.CaseFactory()
    assert client.patch(f"/api/v1/cases/{public.slug}/", {"visibility": "restricted"}, format="json").status_code == 200
    public.refresh_from_db()
    assert public.visibility == Visibility.RESTRICTED
    assert not PendingChange.objects.exists()


def test_an_editor_changes_at_once(editor_user):
    case = f.CaseFactory()
    assert api_client(editor_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "Edited"}, format="json").status_code == 200
    assert not PendingChange.objects.exists()


def test_a_change_made_stale_by_a_later_edit_is_refused(researcher_user, editor_user):
    case = f.CaseFactory(title="One")
    api_client(researcher_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "Two"}, format="json")
    m.Case.objects.filter(pk=case.pk).update(title="Three")
    with pytest.raises(StaleChange):
        PendingChange.objects.get().approve(editor_user)
    assert m.Case.objects.get(pk=case.pk).title == "Three"


def test_a_researcher_cannot_approve(researcher_user):
    from django.core.exceptions import PermissionDenied

    case = f.CaseFactory()
    api_client(researcher_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "Two"}, format="json")
    with pytest.raises(PermissionDenied):
        PendingChange.objects.get().approve(researcher_user)


def test_the_queue_in_the_api_staff_read_editors_decide(researcher_user, editor_user, anonymous_client):
    case = f.CaseFactory(title="One")
    api_client(researcher_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "Two"}, format="json")
    pending = PendingChange.objects.get()
    url = f"/api/v1/pending-changes/{pending.pk}/"
    assert anonymous_client.get("/api/v1/pending-changes/").status_code in (401, 403)
    assert api_client(researcher_user).get(url).json()["differences"][0]["fields"][0]["after"] == "Two"
    assert api_client(researcher_user).post(f"{url}approve/", {}, format="json").status_code == 403
    approved = api_client(editor_user).post(f"{url}approve/", {"note": "Checked against p. 12"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api_client(editor_user).post(f"{url}reject/", {}, format="json").status_code == 409
    assert m.Case.objects.get(pk=case.pk).title == "Two"


def test_the_queue_in_the_workspace(researcher_user, editor_user, client):
    from tests.conftest import verify_second_factor

    case = f.CaseFactory(title="One")
    api_client(researcher_user).patch(f"/api/v1/cases/{case.slug}/", {"title": "Two"}, format="json")
    pending = PendingChange.objects.get()
    verify_second_factor(client, editor_user)
    page = client.get(f"/admin/extraditions/pendingchange/{pending.pk}/change/")
    assert page.status_code == 200 and "Two" in page.content.decode()
    response = client.post(
        "/admin/extraditions/pendingchange/", {"action": "approve", "_selected_action": [pending.pk]}
    )
    assert response.status_code == 302
    assert m.Case.objects.get(pk=case.pk).title == "Two"


@pytest.fixture
def anonymous_client():
    from rest_framework.test import APIClient

    return APIClient()


def test_in_the_workspace_a_researchers_edit_with_an_inline_waits_and_says_so(client, editor_user):
    """The admin's change form with its inlines (a detention added to a published case) is held as
    one change; the researcher is told, the public sees nothing new until an editor approves."""
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from tests.test_workspace import member, opened_form

    Group.objects.get_or_create(name="researcher")
    member(client, "rita", "researcher")
    case = f.CaseFactory(title="Published case")
    url = reverse("admin:cases_case_change", args=[case.pk])
    data = opened_form(client.get(url))
    data.update({"title": "Retitled", "detentions-TOTAL_FORMS": "1", "detentions-0-place": "Dubai", "detentions-0-case": case.pk})
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "waits for an editor" in response.content.decode()
    assert m.Case.objects.get(pk=case.pk).title == "Published case" and not m.Detention.objects.exists()

    PendingChange.objects.get().approve(editor_user)
    assert m.Case.objects.get(pk=case.pk).title == "Retitled"
    assert m.Detention.objects.get().place == "Dubai"


def test_a_recorder_records_only_its_own_context():
    """Signals are global; a request's recorder must not collect another thread's writes."""
    import threading

    from extraditions.changes import ChangeRecorder

    recorder = ChangeRecorder()
    with recorder.listening():
        thread = threading.Thread(target=lambda: None)
        thread.start()
        thread.join()
        mine = f.AffiliationFactory()
    outside = ChangeRecorder()
    f.AffiliationFactory()
    assert [key[1] for key in recorder.rows] == [mine.pk] and not outside.rows


def test_any_view_that_writes_a_published_record_is_held(researcher_user, editor_user):
    """Whatever view writes (here a bare one, as an import's confirmation would), the rule is the
    same: it is judged on the rows written, at the end of the request."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    from extraditions.changes import HoldPublicChangesMiddleware

    case = f.CaseFactory(title="Before")

    def view(request):
        from django.http import HttpResponse

        record = m.Case.objects.get(pk=case.pk)
        record.title = "After"
        record.save()
        return HttpResponse("saved")

    request = RequestFactory().post("/admin/import/")
    request.user = researcher_user
    request.session = {}
    request._messages = FallbackStorage(request)
    HoldPublicChangesMiddleware(view)(request)
    assert m.Case.objects.get(pk=case.pk).title == "Before"
    assert PendingChange.objects.get().rows[0]["after"]["fields"]["title"] == "After"
