"""Bad input is a clear 4xx and changes nothing; hostile text is shown as text everywhere.

Malformed and oversized bodies, invalid UTF-8, absurd page sizes and query strings, injection
attempts in searches, filters and cursors; HTML and script in records, as shown by the website,
the staff workspace, the browsable API and its docs; spreadsheet formulas in CSV exports.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from sources.models import Source
from tests import factories as f

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('xss')</script>"
IMAGE = '<img src=x onerror="alert(1)">'


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and "Traceback" not in str(body)
    return body


@pytest.mark.parametrize(
    "body",
    [
        b'{"slug": "half-a-case",',  # malformed JSON
        b'{"slug": "\xff\xfe-case", "title": "Bad bytes"}',  # invalid UTF-8
        b"[1, 2, 3]",  # JSON, but not an object
        b"",
    ],
)
def test_a_malformed_body_is_a_400_and_writes_nothing(researcher, body):
    response = researcher.post("/api/v1/cases/", data=body, content_type="application/json")
    assert_problem(response, 400)
    assert not Case.objects.exists()


def test_an_oversized_body_is_a_413(researcher, settings):
    body = b'{"slug": "big", "title": "' + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'
    response = researcher.post("/api/v1/cases/", data=body, content_type="application/json")
    assert "larger than" in assert_problem(response, 413)["detail"]
    assert not Case.objects.exists()


def test_an_oversized_source_document_is_refused_with_a_message(admin_client, settings):
    settings.SOURCE_FILE_MAX_MB = 1
    document = SimpleUploadedFile("report.pdf", b"%PDF-1.7 " + b"0" * (1024 * 1024 + 1), content_type="application/pdf")
    response = admin_client.post("/admin/sources/source/add/", {
        "slug": "too-big", "kind": "ngo_report", "title": "A report too large", "file": document,
        "publication_status": "draft", "visibility": "public",
        "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
        "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
    })
    assert response.status_code == 200  # the form again, with the error
    assert "the limit is 1 MB" in response.content.decode()
    assert not Source.objects.filter(slug="too-big").exists()


@pytest.mark.parametrize(
    "query",
    [
        "page_size=1000000000", "page_size=-1", "page_size=abc", "cursor=%27%3B%20DROP%20TABLE", "q=" + "a" * 20_000,
        "host_country=SE%27%20OR%201%3D1--", "started_after=2021-13-45", "no_such_filter=1", "ordering=password",
        "&".join(f"p{n}=1" for n in range(3000)), "q=a%00b", "kind%00=x",
    ],
)
def test_absurd_query_strings_are_a_400(anonymous, query):
    f.CaseFactory()
    assert_problem(anonymous.get(f"/api/v1/cases/?{query}"), 400)


@pytest.mark.parametrize(
    "search",
    ["'; DROP TABLE cases_case; --", '"unbalanced', "NEAR( OR OR *", "%ff%fe", "\\x00", "a:b^c", "-", '""'],
)
def test_injection_and_syntax_in_searches_is_just_text(anonymous, client, search):
    f.CaseFactory(title="Case kept")
    for url in ("/api/v1/cases/", "/api/v1/rulings/", "/api/v1/persons/", "/api/v1/search/"):
        response = anonymous.get(url, {"q": search})
        assert response.status_code in (200, 400), (url, response.status_code)
    for url in ("/cases/", "/rulings/", "/persons/"):
        assert client.get(url, {"q": search}).status_code == 200, url
    assert Case.objects.filter(title="Case kept").exists()


@pytest.fixture
def hostile(db):
    """A published case, person and ruling whose texts are HTML and script."""
    case = f.CaseFactory(title=f"Case {SCRIPT}", summary=f"Summary {IMAGE}")
    person = f.PersonFactory(name=f"Person {SCRIPT}", biography=IMAGE)
    f.CaseParticipantFactory(case=case, person=person)
    f.CourtRulingFactory(case=case, court=f"Court {SCRIPT}", summary=IMAGE)
    return {"case": case, "person": person}


def assert_escaped(html: str, where: str) -> None:
    assert SCRIPT not in html and IMAGE not in html, where
    assert "&lt;script&gt;" in html or "&lt;img" in html, where  # shown, as text


def test_html_in_records_is_escaped_on_the_website(client, hostile):
    for url in ("/", "/cases/", hostile["case"].get_absolute_url(), hostile["person"].get_absolute_url(), "/rulings/",
                "/persons/?q=person"):
        assert_escaped(client.get(url).content.decode(), url)


def test_html_in_records_is_escaped_in_the_staff_workspace(admin_client, hostile):
    case = hostile["case"]
    for url in ("/admin/cases/case/", f"/admin/cases/case/{case.pk}/change/", f"/admin/cases/case/{case.pk}/history/",
                "/admin/cases/person/", f"/admin/cases/person/{hostile['person'].pk}/change/"):
        assert_escaped(admin_client.get(url).content.decode(), url)


def test_html_in_records_is_escaped_in_the_browsable_api(client, hostile):
    for url in ("/api/v1/cases/?format=api", f"/api/v1/cases/{hostile['case'].slug}/?format=api"):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/html")
        assert_escaped(response.content.decode(), url)
    # JSON carries the text as it is (data, not markup), with a type a browser will not render.
    response = client.get("/api/v1/cases/")
    assert response["Content-Type"] == "application/json" and SCRIPT in response.json()["results"][0]["title"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_treat_record_text_as_data(client, hostile):
    # The docs pages embed no record text; the schema they render is JSON fetched by their scripts.
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        assert SCRIPT not in client.get(url).content.decode()


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_exports_neutralise_spreadsheet_formulas(anonymous, formula):
    f.CaseFactory(title=formula)
    body = b"".join(anonymous.get("/api/v1/cases/", {"format": "csv"}).streaming_content).decode()


    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["title"] == "'" + formula


@pytest.mark.parametrize(
    "moment, status",
    [
        ("2023-01-13T17:38:52+17:04", 200),  # valid ISO 8601, past PostgreSQL's ±15:59: compared in UTC
        ("9999-12-31T23:00:00-05:00", 400),  # past the year 9999 in UTC
        ("0001-01-01T00:00:00+05:00", 400),  # before the year 1 in UTC
    ],
)
def test_times_with_any_offset_are_compared_in_utc(anonymous, moment, status):
    f.CaseFactory()
    assert anonymous.get("/api/v1/cases/", {"updated_since": moment}).status_code == status


def test_a_nul_character_in_a_page_s_query_is_a_400(client):
    assert client.get("/cases/?q=a%00b").status_code == 400


@pytest.mark.django_db
def test_more_ids_than_a_filter_takes_is_a_400(client):
    ids = ",".join(f"case-{n}" for n in range(1001))
    response = client.get(f"/api/v1/rulings/?case={ids}")
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "at most 1000" in str(response.json()["errors"])


@pytest.mark.parametrize("values", [
    {"value": "999999999999.9999"},  # 16 significant digits: past what SQLite's doubles read back
    {"value": "1", "value_high": "999999999999.9999"},
    {"value": "-1"},
])
def test_a_figure_out_of_bounds_is_a_400_and_the_list_still_reads(values):
    from sources.models import ReportedFigure
    from tests.api.conftest import client_for, staff_user

    administrator = client_for(staff_user("figures", "sources.add_reportedfigure", "sources.view_reportedfigure"))
    body = {"metric": "red_notices_issued", "unit": "notices", "qualifier": "exact", "year_from": 2021, **values}
    problem = assert_problem(administrator.post("/api/v1/reported-figures/", body, format="json"), 400)
    assert set(problem["errors"]) & {"value", "value_high"}
    assert not ReportedFigure.objects.exists()
    assert administrator.get("/api/v1/reported-figures/?format=csv").status_code == 200


def test_the_database_refuses_a_figure_out_of_bounds():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        f.ReportedFigureFactory(value=-1)
