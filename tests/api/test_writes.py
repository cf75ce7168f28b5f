"""Staff write through the API: validated, permission-checked, recorded in history."""

import pytest

from cases import models as cases
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f


@pytest.fixture
def case(db):
    case = f.CaseFactory(publication_status=PublicationStatus.DRAFT, summary="Sought for fraud.")
    f.CitationFactory(record=case)
    return case


def test_publishing_needs_a_citation_and_a_summary(editor, db):
    bare = f.CaseFactory(publication_status=PublicationStatus.DRAFT)
    response = editor.patch(f"/api/v1/cases/{bare.slug}/", {"publication_status": "published"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["publication_status"] == [
        "Not ready to publish: needs at least one citation of a source, a summary."
    ]


def test_a_persons_visibility_is_an_editors_decision(researcher, editor, db):
    person = f.PersonFactory(publication_status=PublicationStatus.DRAFT, visibility_decided=False, biography="A trader.")
    f.CitationFactory(record=person)
    url = f"/api/v1/persons/{person.slug}/"
    assert editor.patch(url, {"publication_status": "published"}, format="json").json()["errors"]["publication_status"] == [
        "Not ready to publish: needs an editor's decision on visibility (public or restricted)."
    ]
    assert researcher.patch(url, {"visibility_decided": True}, format="json").status_code == 403
    assert editor.patch(url, {"visibility_decided": True, "publication_status": "published"}, format="json").status_code == 200


def test_a_researcher_creates_a_draft_case_and_history_records_who(researcher, db):
    response = researcher.post(
        "/api/v1/cases/",
        {"slug": "se-new-2024", "title": "New case", "kind": "formal_extradition", "host_country": "SE", "started": "2024-03"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] == "se-new-2024" and body["started"] == "2024-03" and body["publication_status"] == "draft"
    created = cases.Case.objects.get(slug="se-new-2024")
    assert (created.started_on.isoformat(), created.started_on_precision) == ("2024-03-01", "month")
    assert created.history.get().history_user.username == "researcher"


def test_only_an_editor_publishes(researcher, editor, case):
    url = f"/api/v1/cases/{case.slug}/"
    refused = researcher.patch(url, {"publication_status": "published"}, format="json")
    assert refused.status_code == 403
    assert "editor" in refused.json()["detail"]
    case.refresh_from_db()
    assert case.publication_status == PublicationStatus.DRAFT

    assert editor.patch(url, {"publication_status": "published"}, format="json").status_code == 200
    case.refresh_from_db()
    assert case.publication_status == PublicationStatus.PUBLISHED


def test_anyone_who_edits_may_restrict_but_only_an_editor_lifts_a_restriction(researcher, editor, case):
    url = f"/api/v1/cases/{case.slug}/"
    assert researcher.patch(url, {"visibility": "restricted"}, format="json").status_code == 200
    assert researcher.patch(url, {"visibility": "public"}, format="json").status_code == 403
    assert editor.patch(url, {"visibility": "public"}, format="json").status_code == 200
    case.refresh_from_db()
    assert case.visibility == Visibility.PUBLIC


def test_invalid_writes_are_400_with_field_errors_and_change_nothing(researcher, case):
    url = f"/api/v1/cases/{case.slug}/"
    response = researcher.patch(url, {"kind": "kidnap", "started": "July 2021"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"kind", "started"}

    # The model's own rules, checked once the values are well-formed: a group has at least one person.
    response = researcher.patch(url, {"group_size": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["A group has at least one person."]}

    response = researcher.post("/api/v1/cases/", {"slug": case.slug, "title": "Twin", "kind": "abduction"}, format="json")
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]
    case.refresh_from_db()
    assert case.kind == cases.CaseKind.FORMAL_EXTRADITION


def test_a_ruling_is_written_with_the_ids_of_its_case_and_grounds(editor, case):
    echr3 = f.LegalProvisionFactory()
    payload = {
        "slug": "se-supreme-2019", "case": case.slug, "court": "Supreme Court", "country": "SE", "level": "supreme",
        "decided": "2019-12-18", "decision": "extradition_refused", "grounds": [echr3.slug],
    }
    response = editor.post("/api/v1/rulings/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert [g["id"] for g in response.json()["grounds"]] == ["echr-3"]
    assert response.json()["case"]["id"] == case.slug

    bad = editor.post("/api/v1/rulings/", {**payload, "slug": "other", "grounds": ["no-such-ground"]}, format="json")
    assert bad.status_code == 400
    assert "no-such-ground" in str(bad.json()["errors"]["grounds"])


def test_model_constraints_are_checked_before_saving(editor, case):
    payload = {"slug": "x", "case": case.slug, "court": "A court", "level": "supreme", "decision": "other"}
    response = editor.post("/api/v1/rulings/", payload, format="json")  # neither country nor international body
    assert response.status_code == 400
    assert "court's country or the international body" in str(response.json()["errors"])
    assert not cases.CourtRuling.objects.exists()


def test_deleting_a_record_others_depend_on_is_a_409(db):
    from django.contrib.auth.models import Permission, User

    from .conftest import client_for

    person = f.PersonFactory()
    f.CaseParticipantFactory(person=person)
    user = User.objects.create_user("deleter", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="delete_person"))
    response = client_for(user).delete(f"/api/v1/persons/{person.slug}/")
    assert response.status_code == 409
    assert "case participants" in response.json()["detail"]
    assert cases.Person.objects.filter(pk=person.pk).exists()


def test_a_write_with_a_stale_etag_is_refused(researcher, case):
    url = f"/api/v1/cases/{case.slug}/"
    etag = researcher.get(url)["ETag"]
    assert researcher.patch(url, {"title": "First edit"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = researcher.patch(url, {"title": "Second edit"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    case.refresh_from_db()
    assert case.title == "First edit"
    fresh = researcher.get(url)["ETag"]
    assert researcher.patch(url, {"title": "Second edit"}, format="json", HTTP_IF_MATCH=fresh).status_code == 200


def test_staff_views_of_restricted_records_are_logged(viewer, db):
    from extraditions.models import RestrictedRecordView

    secret = f.CaseFactory(visibility=Visibility.RESTRICTED)
    public = f.CaseFactory()
    viewer.get(f"/api/v1/cases/{public.slug}/")
    viewer.get(f"/api/v1/cases/{secret.slug}/")
    child = f.DetentionFactory(case=secret)
    viewer.get(f"/api/v1/detentions/{child.uid}/")  # restricted through its case
    logged = list(RestrictedRecordView.objects.order_by("viewed_at").values_list("user__username", "object_id", "channel"))
    assert logged == [("viewer", secret.pk, "api"), ("viewer", child.pk, "api")]


@pytest.mark.parametrize(
    "role, can_create, can_publish, sees_restricted",
    [("viewer", False, False, True), ("researcher", True, False, True), ("editor", True, True, True)],
)
def test_each_role_in_the_api(db, role, can_create, can_publish, sees_restricted):
    from django.contrib.auth.models import Group, User

    from .conftest import client_for

    user = User.objects.create_user(f"{role}-user", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = client_for(user)
    secret = f.CaseFactory(visibility=Visibility.RESTRICTED)
    assert (client.get(f"/api/v1/cases/{secret.slug}/").status_code == 200) == sees_restricted

    created = client.post("/api/v1/cases/", {"slug": f"new-{role}", "title": "New", "kind": "abduction", "summary": "S."}, format="json")
    assert (created.status_code == 201) == can_create, created.content
    if can_create:
        f.CitationFactory(record=f.CaseFactory._meta.model.objects.get(slug=f"new-{role}"))
        published = client.patch(f"/api/v1/cases/new-{role}/", {"publication_status": "published"}, format="json")
        assert (published.status_code == 200) == can_publish, published.content
