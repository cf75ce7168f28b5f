"""Every model is in the staff workspace: its list, search, add and change pages work."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    "source": factories.SourceFactory,
    "reportedfigure": factories.ReportedFigureFactory,
    "treaty": factories.TreatyFactory,
    "person": factories.PersonFactory,
    "alias": factories.AliasFactory,
    "case": factories.CaseFactory,
    "detention": factories.DetentionFactory,
    "caseevent": factories.CaseEventFactory,
    "extraditionrequest": factories.ExtraditionRequestFactory,
    "interpolnotice": factories.InterpolNoticeFactory,
    "legalprovision": factories.LegalProvisionFactory,
    "courtruling": factories.CourtRulingFactory,
    "diplomaticassurance": factories.DiplomaticAssuranceFactory,
    "breach": factories.BreachFactory,
}

DOMAIN_APPS = {"sources", "treaties", "cases"}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in DOMAIN_APPS
)


def test_every_domain_model_is_registered():
    from django.apps import apps

    # Participants are entered inline in their case; name forms and a document's pages of text are
    # derived data, never edited.
    not_on_their_own = {"CaseParticipant", "PersonName", "DocumentPage"}
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if not model.__name__.startswith("Historical") and model.__name__ not in not_on_their_own:
                assert model in admin.site._registry, model


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_list_search_add_change_and_history_pages(admin_client, app_label, model_name):
    record = FACTORIES[model_name]() if model_name in FACTORIES else None
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "zzz"}).status_code == 200
    assert admin_client.get(reverse(f"admin:{app_label}_{model_name}_add")).status_code == 200
    if record is not None:
        assert admin_client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[record.pk])).status_code == 200
        assert admin_client.get(reverse(f"admin:{app_label}_{model_name}_history", args=[record.pk])).status_code == 200


def test_a_case_is_entered_with_its_persons_and_detentions_from_one_page(admin_client):
    person = factories.PersonFactory()
    url = reverse("admin:cases_case_add")
    prefixes = [f.formset.prefix for f in admin_client.get(url).context["inline_admin_formsets"]]
    data = {
        "title": "Qiao Jianjun: extradition request to Sweden",
        "slug": "se-qiao-jianjun-2019",
        "kind": "formal_extradition",
        "requesting_state": "PRC",
        "host_country": "SE",
        "charge_category": "corruption",
        "outcome": "refused",
        "started": "2019",
        "publication_status": "draft",
        "visibility": "public",
    }
    for prefix in prefixes:
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update({"participants-TOTAL_FORMS": 1, "participants-0-person": person.pk, "participants-0-role": "subject"})
    data.update({
        "detentions-TOTAL_FORMS": 1, "detentions-0-person": person.pk, "detentions-0-started": "Feb 2019",
        "detentions-0-place": "Stockholm",
    })
    refused = admin_client.post(url, data)  # dates are typed as the source gives them, in one form
    assert "Enter the date as 2021, 2021-07 or 2021-07-19." in refused.content.decode()
    data["detentions-0-started"] = "2019-02"
    response = admin_client.post(url, data)
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"]]
    from cases.models import Case

    case = Case.objects.get(slug="se-qiao-jianjun-2019")
    assert list(case.persons.all()) == [person]
    assert str(case.detentions.get().started) == "February 2019"
    assert (str(case.started), case.started_on_precision) == ("2019", "year")


def test_publish_action_records_history(admin_client):
    case = factories.CaseFactory(publication_status="draft", summary="Sought for fraud.")
    factories.CitationFactory(record=case)
    response = admin_client.post(
        reverse("admin:cases_case_changelist"), {"action": "publish", "_selected_action": [case.pk]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.publication_status == "published"
    assert case.history.first().publication_status == "published"


@pytest.mark.parametrize(("app_label", "model_name"), [r for r in REGISTERED if r[1] in FACTORIES])
def test_list_pages_cost_the_same_queries_however_many_rows(admin_client, app_label, model_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(f"admin:{app_label}_{model_name}_changelist")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(url).status_code == 200
        return len(captured.captured_queries)

    FACTORIES[model_name]()
    queries()  # warm the per-process caches (content types) first
    few = queries()
    for _ in range(5):
        FACTORIES[model_name]()
    assert queries() == few


def test_list_columns_with_choices_show_their_labels_sorted_by_the_field(admin_client):
    """Choice and country columns are looked up once per column (extraditions/admin.py: choice_column),
    and still read and sort as the admin's own columns do."""
    factories.CaseFactory(title="Listed case", kind="formal_extradition", host_country="SE", requesting_state="")
    page = admin_client.get(reverse("admin:cases_case_changelist")).content.decode()
    assert '<td class="field-kind">Formal extradition</td>' in page
    assert '<td class="field-host_country">Sweden</td>' in page
    assert '<td class="field-requesting_state">-</td>' in page  # empty, as the admin shows it
    assert 'class="sortable column-host_country"' in page  # the column sorts (by its field)


def test_the_date_hierarchys_years_are_djangos(admin_client):
    """Years probed one by one in the date's index (PostgreSQL) are the years Django would list."""
    import datetime

    from django.db.models import QuerySet

    from cases.models import Case

    for year in (1998, 2003, 2003, 2019, 2024):
        factories.CaseFactory(started_on=datetime.date(year, 6, 1), kind="deportation" if year == 2003 else "formal_extradition")
    factories.CaseFactory(started_on=None, started_on_precision="")
    for queryset in (Case.objects.all(), Case.objects.filter(kind="formal_extradition"), Case.objects.none(),
                     Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)))):
        for order in ("ASC", "DESC"):
            assert list(queryset.dates("started_on", "year", order)) == list(
                QuerySet.dates(queryset, "started_on", "year", order)
            )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(reverse("admin:cases_case_changelist"))
    assert all(f">{year}<" in page.content.decode() for year in (1998, 2003, 2019, 2024))
    truncating = [q["sql"] for q in queries.captured_queries if "DATE_TRUNC" in q["sql"].upper()]
    assert bool(truncating) == (connection.vendor != "postgresql")  # SQLite cannot limit a UNION's parts
