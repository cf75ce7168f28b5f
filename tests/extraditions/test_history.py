"""Every change leaves a history entry saying who changed what, and when."""

import pytest
from django.urls import reverse

from cases.models import Case
from tests.factories import CaseFactory, DetentionFactory, TreatyFactory

pytestmark = pytest.mark.django_db


def test_creation_and_change_are_recorded_with_the_difference():
    case = CaseFactory(outcome="pending")
    case.outcome = "refused"
    case.save()
    latest, first = case.history.all()[:2]
    assert (first.history_type, latest.history_type) == ("+", "~")
    changes = {change.field: (change.old, change.new) for change in latest.diff_against(first).changes}
    assert changes["outcome"] == ("pending", "refused")


def test_every_model_has_history():
    for record in (DetentionFactory(), TreatyFactory()):
        assert record.history.count() == 1


def test_a_change_in_the_admin_records_its_author(admin_client, admin_user):
    case = CaseFactory(title="Before")
    url = reverse("admin:cases_case_change", args=[case.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        title="After",
        host_country="SE",
        **{f"{prefix}-{key}": value for prefix in _inline_prefixes(admin_client, url)
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    case.refresh_from_db()
    assert case.title == "After"
    entry = case.history.first()
    assert entry.history_user == admin_user
    assert Case.history.filter(id=case.pk).count() == 2


def _inline_prefixes(client, url):
    return [formset.formset.prefix for formset in client.get(url).context["inline_admin_formsets"]]
