"""The staff workspace's workflow: roles, publish rules, no lost edits, history and revert, the
restricted-view log and CSV export."""

import pytest
from django import forms
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, User
from django.urls import reverse

from cases.models import Case
from extraditions.models import PublicationStatus, RestrictedRecordView, Visibility
from extraditions.roles import EDITOR, RESEARCHER, VIEWER
from tests import factories as f

CASES = reverse("admin:cases_case_changelist")


def member(client, username: str, role: str) -> User:
    user = User.objects.create_user(username, password="x" * 16, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def actions_offered(client) -> set[str]:
    return set(dict(client.get(CASES).context["action_form"].fields["action"].choices))


@pytest.mark.django_db
def test_each_role_is_offered_only_its_actions(client):
    member(client, "rita", RESEARCHER)
    assert {"submit_for_review", "restrict", "export_csv"} <= actions_offered(client)
    assert not {"publish", "unpublish", "make_public", "delete_selected"} & actions_offered(client)
    client.logout()
    member(client, "ed", EDITOR)
    assert {"publish", "unpublish", "make_public", "restrict", "delete_selected"} <= actions_offered(client)
    client.logout()
    member(client, "vic", VIEWER)
    assert client.get(CASES).status_code == 200
    assert client.get(reverse("admin:cases_case_add")).status_code == 403


@pytest.mark.django_db
def test_a_researcher_cannot_publish_through_the_form(client):
    member(client, "rita", RESEARCHER)
    case = f.CaseFactory(publication_status=PublicationStatus.DRAFT, summary="x")
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), {**opened_form(page), "publication_status": "published"})
    assert "Only an editor may publish" in response.content.decode()
    case.refresh_from_db()
    assert case.publication_status == PublicationStatus.DRAFT


def submitted_value(form, name):
    """What a browser sends back for one unchanged field."""
    field, value = form.fields[name], form[name].value()
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return [getattr(v, "pk", v) for v in value or []]
    return "" if value is None else getattr(value, "pk", value)


def opened_form(page) -> dict:
    """What a browser would send back from a change page, unchanged (inlines left empty)."""
    form = page.context["adminform"].form
    data = {name: submitted_value(form, name) for name in form.fields}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


@pytest.mark.django_db
def test_publishing_says_exactly_what_is_missing(client):
    member(client, "ed", EDITOR)
    bare = f.CaseFactory(title="Bare case", publication_status=PublicationStatus.DRAFT)
    ready = f.CaseFactory(title="Ready case", publication_status=PublicationStatus.DRAFT, summary="Known facts.")
    f.CitationFactory(record=ready)
    response = client.post(CASES, {"action": "publish", helpers.ACTION_CHECKBOX_NAME: [bare.pk, ready.pk]}, follow=True)
    page = response.content.decode()
    assert "Not published — Bare case: needs at least one citation of a source, a summary." in page
    assert Case.objects.get(pk=ready.pk).publication_status == PublicationStatus.PUBLISHED
    assert Case.objects.get(pk=bare.pk).publication_status == PublicationStatus.DRAFT


@pytest.mark.django_db
def test_the_second_of_two_concurrent_edits_is_refused(admin_client):
    case = f.CaseFactory(title="Original", host_country="SE")
    url = reverse("admin:cases_case_change", args=[case.pk])
    opened = opened_form(admin_client.get(url))

    case.title = "Changed by a colleague"
    case.save()

    response = admin_client.post(url, {**opened, "title": "My edit"})
    assert response.status_code == 200
    assert "while you were editing it. Nothing was saved" in response.content.decode()
    case.refresh_from_db()
    assert case.title == "Changed by a colleague"


@pytest.mark.django_db
def test_history_shows_each_change_and_reverts_it(admin_client):
    case = f.CaseFactory(title="First title")
    case.title = "Second title"
    case.save()
    history = admin_client.get(reverse("admin:cases_case_history", args=[case.pk])).content.decode()
    assert "First title" in history and "Second title" in history  # the change, as a diff
    first = case.history.order_by("history_date").first()
    revert_url = reverse("admin:cases_case_simple_history", args=[case.pk, first.history_id])
    page = admin_client.get(revert_url)
    assert page.status_code == 200 and "First title" in page.content.decode()


@pytest.mark.django_db
def test_views_of_restricted_records_in_the_workspace_are_logged(admin_client, admin_user):
    secret = f.CaseFactory(visibility=Visibility.RESTRICTED)
    public = f.CaseFactory()
    admin_client.get(reverse("admin:cases_case_change", args=[public.pk]))
    admin_client.get(reverse("admin:cases_case_change", args=[secret.pk]))
    [entry] = RestrictedRecordView.objects.all()
    assert (entry.user, entry.object_id, entry.channel) == (admin_user, secret.pk, "admin")
    log_page = admin_client.get(reverse("admin:extraditions_restrictedrecordview_changelist"))
    assert log_page.status_code == 200 and secret.title in log_page.content.decode()


@pytest.mark.django_db
def test_a_selection_exports_to_csv(admin_client):
    chosen = f.CaseFactory(title="=HYPERLINK(evil)")
    f.CaseFactory(title="Not chosen")
    response = admin_client.post(CASES, {"action": "export_csv", helpers.ACTION_CHECKBOX_NAME: [chosen.pk]})
    content = b"".join(response.streaming_content).decode()
    assert content.splitlines()[0].startswith("id,uid,created_at")
    assert "'=HYPERLINK(evil)" in content and "Not chosen" not in content


@pytest.mark.django_db
def test_a_researcher_adds_a_person_but_cannot_publish_a_ruling_through_a_case(client):
    member(client, "rita", RESEARCHER)
    add = client.get(reverse("admin:cases_person_add"))
    data = {**opened_form(add), "name": "Li Zhihui", "slug": "li-zhihui"}
    assert client.post(reverse("admin:cases_person_add"), data).status_code == 302

    case = f.CaseFactory()
    ruling = f.CourtRulingFactory(case=case, publication_status=PublicationStatus.DRAFT, summary="Refused.")
    f.CitationFactory(record=ruling)
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    data = opened_form(page)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.prefix == "rulings":
            data.update({f"rulings-{k}": v for k, v in {"TOTAL_FORMS": "1", "INITIAL_FORMS": "1"}.items()})
            form = formset.forms[0]
            data.update({f"rulings-0-{name}": submitted_value(form, name) for name in form.fields})
            data["rulings-0-publication_status"] = "published"
    response = client.post(url, data)
    assert "Only an editor may publish" in response.content.decode()
    ruling.refresh_from_db()
    assert ruling.publication_status == PublicationStatus.DRAFT


@pytest.mark.django_db
def test_lists_that_show_restricted_records_to_staff_are_logged_too(admin_client, admin_user):
    from rest_framework.test import APIClient

    secret = f.CaseFactory(title="Secret case", visibility=Visibility.RESTRICTED)
    f.CaseFactory(title="Open case")
    from tests.conftest import verify_second_factor

    admin_client.get(CASES)
    api = APIClient()
    verify_second_factor(api, admin_user)  # an administrator's session counts as staff only after the second factor
    api.get("/api/v1/cases/")
    admin_client.get("/cases/")
    logged = list(RestrictedRecordView.objects.order_by("channel").values_list("object_id", "channel"))
    assert logged == [(secret.pk, "admin"), (secret.pk, "api"), (secret.pk, "site")]


@pytest.mark.django_db
def test_an_administrator_reads_the_log_of_restricted_views(client):
    """Not only superusers: the administrator role reads the log (and nobody edits it)."""
    from extraditions.roles import ADMINISTRATOR
    from tests.conftest import verify_second_factor

    user = member(client, "ada", ADMINISTRATOR)
    verify_second_factor(client, user)
    assert client.get(reverse("admin:extraditions_restrictedrecordview_changelist")).status_code == 200
    assert client.get(reverse("admin:extraditions_restrictedrecordview_add")).status_code == 403


@pytest.mark.django_db
def test_each_row_has_the_same_selection_checkbox_django_draws(admin_client):
    """The checkbox is written without the form machinery (a third of a list's time): the same HTML,
    escaped the same way, so that the list's actions and "select all" still find it."""
    from django.contrib.admin import ModelAdmin, site

    case = f.CaseFactory(title='Tom & "Jerry" <b>')
    drawn = admin_client.get(CASES).content.decode()
    django_drawn = ModelAdmin.action_checkbox(site._registry[Case], case)
    assert site._registry[Case].action_checkbox(case) == django_drawn
    assert django_drawn in drawn and "&lt;b&gt;" in django_drawn
