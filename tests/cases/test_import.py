"""Bulk import of persons, cases and notices: a good file, a bad row, a dry run, XLSX and the admin's preview."""

import io

import pytest
import tablib
from django.urls import reverse

from cases.models import Case, InterpolNotice, Person
from cases.resources import CaseResource, InterpolNoticeResource, PersonResource
from extraditions.jobs import Job
from extraditions.models import PublicationStatus
from extraditions.search.models import SearchDocument
from tests import factories as f

PERSONS_CSV = """slug,name,name_original,citizenships,affiliations,current_situation,asylum_since
wang-jianye,Wang Jianye,王建业,CN,,returned,
idris-hasan,Idris Hasan,,CN;TR,uyghur,detained_abroad,2021-07
"""


def dataset(text: str) -> tablib.Dataset:
    return tablib.Dataset().load(text, format="csv")


@pytest.fixture
def uyghur(db):
    return f.AffiliationFactory(slug="uyghur", name="Uyghur")


def test_a_good_file_imports_every_row_as_a_draft(uyghur):
    result = PersonResource().import_data(dataset(PERSONS_CSV), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    idris = Person.objects.get(slug="idris-hasan")
    assert [c.code for c in idris.citizenships] == ["CN", "TR"]
    assert list(idris.affiliations.all()) == [uyghur]
    assert (str(idris.asylum_since_date), idris.publication_status) == ("July 2021", PublicationStatus.DRAFT)
    # Importing the same file again changes nothing.
    again = PersonResource().import_data(dataset(PERSONS_CSV), dry_run=False)
    assert again.totals["skip"] == 2 and Person.objects.count() == 2


def test_one_bad_row_imports_nothing_and_names_its_row_and_field(uyghur):
    bad = PERSONS_CSV + "someone,Someone,,XX,,lost,July 2021\n"
    result = PersonResource().import_data(dataset(bad), dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 3
    assert set(invalid.error_dict) >= {"current_situation", "asylum_since"}
    assert Person.objects.count() == 0


def test_a_dry_run_reports_and_saves_nothing(uyghur):
    result = PersonResource().import_data(dataset(PERSONS_CSV), dry_run=True)
    assert result.totals["new"] == 2
    assert Person.objects.count() == 0


def test_cases_link_persons_and_treaties_by_slug_and_notices_without_a_uid_are_added(db):
    person = f.PersonFactory(slug="qiao-jianjun")
    f.TreatyFactory(slug="extradition-cn-se")
    cases_csv = (
        "slug,title,kind,host_country,started,persons,treaty,outcome,summary\n"
        "se-qiao-2019,Qiao Jianjun: request to Sweden,formal_extradition,SE,2019-02,qiao-jianjun,extradition-cn-se,refused,Refused.\n"
    )
    assert not CaseResource().import_data(dataset(cases_csv), dry_run=False).has_errors()
    case = Case.objects.get(slug="se-qiao-2019")
    assert list(case.persons.all()) == [person] and case.treaty.slug == "extradition-cn-se"

    notices_csv = "uid,kind,subject,issued,status,cases\n,red_notice,qiao-jianjun,2017,active,se-qiao-2019\n"
    result = InterpolNoticeResource().import_data(dataset(notices_csv), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    notice = InterpolNotice.objects.get()
    assert notice.subject == person and list(notice.cases.all()) == [case]


def test_xlsx_files_import_too(uyghur):
    data = dataset(PERSONS_CSV)
    xlsx = tablib.Dataset().load(data.export("xlsx"), format="xlsx")
    assert not PersonResource().import_data(xlsx, dry_run=False).has_errors()
    assert Person.objects.count() == 2


def test_the_admin_previews_an_import_and_shows_the_errors(admin_client, uyghur):
    url = reverse("admin:cases_person_import")
    bad = PERSONS_CSV + "someone,Someone,,,,lost,\n"
    upload = io.BytesIO(bad.encode())
    upload.name = "persons.csv"
    response = admin_client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "current_situation" in page and "lost" in page
    assert Person.objects.count() == 0

    good = io.BytesIO(PERSONS_CSV.encode())
    good.name = "persons.csv"
    preview = admin_client.post(url, {"resource": "0", "format": "0", "import_file": good})
    assert "Confirm import" in preview.content.decode() or "confirm" in preview.content.decode().lower()
    assert Person.objects.count() == 0  # a preview saves nothing


def test_each_imported_record_has_its_history_by_whom_and_how(admin_client, admin_user, uyghur):
    """History entries are written together after the rows, as each save would have written them."""
    url = reverse("admin:cases_person_import")
    upload = io.BytesIO(PERSONS_CSV.encode())
    upload.name = "persons.csv"
    preview = admin_client.post(url, {"resource": "0", "format": "0", "import_file": upload})
    form = preview.context["confirm_form"]
    confirm = admin_client.post(reverse("admin:cases_person_process_import"), form.initial)
    assert confirm.status_code == 302 and Person.objects.count() == 2
    changed = PERSONS_CSV.replace("Wang Jianye,王建业", "Wang Jian-ye,王建业")
    PersonResource().import_data(dataset(changed), dry_run=False)
    wang = Person.objects.get(slug="wang-jianye")
    entries = list(wang.history.order_by("history_date").values_list("history_type", "history_user", "name"))
    assert entries == [("+", admin_user.pk, "Wang Jianye"), ("~", None, "Wang Jian-ye")]
    idris = Person.objects.get(slug="idris-hasan")
    assert list(idris.history.values_list("history_type", "citizenships")) == [("+", "CN,TR")]


def test_a_value_taken_twice_in_one_file_is_an_error_on_the_second_row(uyghur):
    """Unique fields are judged once for the whole file: a slug, or a notice's uid, that an earlier
    row of the same file took is refused on the row that takes it again, not left to the database."""
    twice = PERSONS_CSV + "wang-jianye,Wang Jianye again,,CN,,returned,\n"
    result = PersonResource().import_data(dataset(twice), dry_run=False, rollback_on_validation_errors=True)
    [invalid] = result.invalid_rows
    assert invalid.number == 3 and "already exists" in invalid.error_dict["slug"][0]
    assert Person.objects.count() == 0

    person = f.PersonFactory(slug="qiao-jianjun")
    uid = "0b6f8a4e-9c41-4a53-8a2e-5d0c4b1b2f11"
    notices = f"uid,kind,subject,status\n{uid},red_notice,qiao-jianjun,active\n{uid},red_notice,qiao-jianjun,active\n"
    result = InterpolNoticeResource().import_data(dataset(notices), dry_run=False, rollback_on_validation_errors=True)
    [invalid] = result.invalid_rows
    assert invalid.number == 2 and "uid" in invalid.error_dict
    assert not InterpolNotice.objects.filter(subject=person).exists()


def test_an_existing_record_is_updated_not_refused_as_taken(uyghur):
    PersonResource().import_data(dataset(PERSONS_CSV), dry_run=False)
    changed = PERSONS_CSV.replace("returned", "imprisoned_in_china")
    result = PersonResource().import_data(dataset(changed), dry_run=False)
    assert not result.has_validation_errors() and result.totals["update"] == 1
    assert Person.objects.get(slug="wang-jianye").current_situation == "imprisoned_in_china"


def test_each_row_costs_the_same_few_queries_however_long_the_file(uyghur, django_assert_max_num_queries):
    """Unique values are read once per file and a row's lists are not read back for its report:
    a new row is its savepoint, its insert and (with a list) the list's write."""

    def rows(count):
        return dataset("slug,name,citizenships\n" + "".join(f"p-{count}-{n},Person {count} {n},CN\n" for n in range(count)))

    with django_assert_max_num_queries(1000) as small:
        PersonResource().import_data(rows(5), dry_run=False)
    with django_assert_max_num_queries(1000) as large:
        PersonResource().import_data(rows(25), dry_run=False)
    assert len(large.captured_queries) - len(small.captured_queries) <= 3 * 20


@pytest.mark.django_db(transaction=True)
def test_an_import_is_indexed_by_a_job_once_it_commits_and_a_preview_indexes_nothing(uyghur):
    """The index is written after the import's transaction, by the worker (here, at once: the
    suite runs jobs where they are enqueued); a dry run, rolled back, enqueues nothing."""
    assert not PersonResource().import_data(dataset(PERSONS_CSV), dry_run=True).has_errors()
    assert not Person.objects.exists() and not SearchDocument.objects.filter(kind="cases.person").exists()
    assert not PersonResource().import_data(dataset(PERSONS_CSV), dry_run=False).has_errors()
    imported = set(Person.objects.values_list("pk", flat=True))
    assert imported and set(SearchDocument.objects.filter(kind="cases.person", object_id__in=imported).values_list("object_id", flat=True)) == imported
    assert Job.objects.filter(name__endswith="refresh_later", status=Job.Status.SUCCEEDED).exists()
