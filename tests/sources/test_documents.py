"""Attached documents that can be searched and checked: a source's PDF or HTML judgment is read
page by page when it is attached, its words are found with their page numbers on the source's,
the ruling's and the search pages, a citation's page opens the document there, and a hidden
source's document and words never reach the public (docs/search.md, "Documents")."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from extraditions.models import PublicationStatus
from sources import documents
from sources.models import DocumentPage, Source, SourceKind
from tests import factories as f
from tests.api.conftest import DRAFT, RESTRICTED, anonymous, viewer  # noqa: F401  (fixtures)
from tests.documents import html, pdf, upload

pytestmark = pytest.mark.django_db

JUDGMENT_PAGES = (
    "Judgment of the Court of Appeal. Cover page.",
    "The applicant would be tortured if returned: the requesting state's assurances are unreliable.",
    "Consular access to the applicant in detention was not guaranteed.",
)


def judgment_source(*, text=JUDGMENT_PAGES, first_printed=16, **fields) -> Source:
    fields.setdefault("kind", SourceKind.COURT_DECISION)
    return f.SourceFactory(file=upload("judgment.pdf", pdf(*text, first_printed=first_printed)), **fields)


@pytest.fixture
def judgment():
    """A public ruling, and the public judgment behind it: the file's second page is printed 16."""
    source = judgment_source(title="Judgment of the Court of Appeal", slug="appeal-judgment")
    ruling = f.CourtRulingFactory(court="Court of Appeal", summary="Extradition refused.", full_text="")
    f.CitationFactory(source=source, record=ruling, locator="p. 16")
    return source, ruling


# --- reading the file ------------------------------------------------------------------------------


def test_a_pdf_is_read_page_by_page_with_its_printed_page_numbers(judgment):
    source, _ = judgment
    pages = list(DocumentPage.objects.filter(source=source).values_list("number", "label", "text"))
    assert [(number, label) for number, label, _ in pages] == [(1, "i"), (2, "16"), (3, "17")]
    assert "tortured if returned" in pages[1][2]
    assert (source.media_type, source.page_count, len(source.sha256)) == (documents.PDF, 3, 64)


def test_an_html_judgment_is_one_page_without_its_scripts_and_styles():
    source = f.SourceFactory(file=upload("judgment.html", html("<h1>Arrêt</h1><p>Risque de torture.</p>")))
    (page,) = source.pages.all()
    assert source.media_type == documents.HTML
    assert "Risque de torture." in page.text and "Arrêt" in page.text
    assert "scriptword" not in page.text and "color" not in page.text


def test_what_a_file_is_comes_from_its_bytes_not_its_name():
    disguised = f.SourceFactory(file=upload("report.pdf", html("<p>Not a PDF</p>")))
    assert disguised.media_type == documents.HTML
    other = f.SourceFactory(file=upload("photo.pdf", b"\x89PNG\r\n\x1a\n" + bytes(100)))
    assert (other.media_type, other.page_count) == (documents.OTHER, 0)
    assert not other.pages.exists()


def test_a_damaged_pdf_is_refused_with_a_clear_error_and_nothing_is_saved():
    broken = Source(slug="broken", kind=SourceKind.COURT_DECISION, title="Broken", file=upload("broken.pdf", b"%PDF-1.7\n garbage"))
    with pytest.raises(ValidationError) as refused:
        broken.full_clean()
    assert "could not be read" in refused.value.message_dict["file"][0]
    with pytest.raises(ValidationError):
        broken.save()
    assert not Source.objects.filter(slug="broken").exists()


def test_a_damaged_pdf_is_refused_in_the_workspace(admin_client):
    source = f.SourceFactory(kind=SourceKind.COURT_DECISION)
    url = reverse("admin:sources_source_change", args=[source.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "file"}
    data.update({"published": "", "file": upload("broken.pdf", b"%PDF-1.4 not really")})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "could not be read" in str(response.context["adminform"].form.errors["file"])
    source.refresh_from_db()
    assert not source.file and not DocumentPage.objects.exists()


def test_a_scan_without_text_is_kept_and_the_workspace_says_so(admin_client):
    source = judgment_source(text=("Cover", ""), first_printed=None)
    assert list(source.pages.values_list("text", flat=True)) == ["Cover", ""]
    page = admin_client.get(reverse("admin:sources_source_change", args=[source.pk])).content.decode()
    assert "1 of 2 pages with text" in page and "scanned images" in page


def test_a_replaced_file_is_read_again_and_a_removed_one_takes_its_text_along(judgment, anonymous):
    source, _ = judgment
    source.file = upload("judgment-v2.pdf", pdf("A new text about refoulement."))
    source.save()
    assert list(source.pages.values_list("label", "text")) == [("1", "A new text about refoulement.")]
    assert search(anonymous, "sources", "refoulement") == [source.slug]
    assert search(anonymous, "sources", "tortured") == []
    source.file = None
    source.save()
    assert not source.pages.exists() and (source.page_count, source.media_type, source.sha256) == (0, "", "")
    assert search(anonymous, "sources", "refoulement") == []


# --- found with their pages --------------------------------------------------------------------------


def search(client, resource: str, query: str) -> list[str]:
    response = client.get(f"/api/v1/{resource}/", {"q": query})
    assert response.status_code == 200, response.content
    return [result["id"] for result in response.json()["results"]]


def test_a_sources_words_are_found_with_their_page(judgment, anonymous):
    source, _ = judgment
    (result,) = anonymous.get("/api/v1/sources/", {"q": "torture"}).json()["results"]
    match = result["match"]
    assert match["reasons"] == ["in Judgment of the Court of Appeal, p. 16 — matched “tortured”"]
    (hit,) = match["pages"]
    assert hit["page"] == "16" and hit["url"] == f"{source.file.url}#page=2"
    assert "<mark>tortured</mark>" in hit["snippet"]
    assert result["file_url"] == f"http://testserver{source.file.url}"
    assert (result["media_type"], result["page_count"]) == ("application/pdf", 3)


def test_a_ruling_is_found_by_the_words_of_its_judgment_with_their_pages(judgment, anonymous):
    _, ruling = judgment
    (result,) = anonymous.get("/api/v1/rulings/", {"q": "consular access"}).json()["results"]
    assert result["id"] == ruling.slug
    assert "in Judgment of the Court of Appeal, p. 17 — matched “Consular”, “access”" in result["match"]["reasons"]
    assert [hit["page"] for hit in result["match"]["pages"]] == ["17"]


def test_only_judgments_are_a_rulings_text_not_the_reports_cited_for_it(judgment, anonymous):
    _, ruling = judgment
    report = judgment_source(kind=SourceKind.NGO_REPORT, text=("A report on wiretapping.",), first_printed=None)
    f.CitationFactory(source=report, record=ruling)
    assert search(anonymous, "rulings", "wiretapping") == []
    assert search(anonymous, "sources", "wiretapping") == [report.slug]


def test_the_rulings_list_shows_the_pages_that_matched(judgment, client):
    source, _ = judgment
    page = client.get("/rulings/", {"q": "assurances"}).content.decode()
    assert "in Judgment of the Court of Appeal, p. 16 — matched “assurances”" in page
    assert f'href="{source.file.url}#page=2"' in page


def test_a_sources_page_searches_its_document(judgment, client):
    source, _ = judgment
    page = client.get(source.get_absolute_url(), {"q": "detention"}).content.decode()
    assert f'<a href="{source.file.url}#page=3">p. 17</a>' in page
    assert "<mark>detention</mark>" in page
    assert "Nothing in the document matches" in client.get(source.get_absolute_url(), {"q": "zebra"}).content.decode()


def test_a_rulings_page_searches_its_judgment(judgment, client):
    source, ruling = judgment
    page = client.get(ruling.get_absolute_url(), {"q": "unreliable"}).content.decode()
    assert "Search in the judgment" in page
    assert f'href="{source.file.url}#page=2">Judgment of the Court of Appeal, p. 16</a>' in page


def test_a_citations_page_opens_the_document_at_that_printed_page(judgment, client):
    source, ruling = judgment
    page = client.get(ruling.get_absolute_url()).content.decode()
    link = reverse("site:source-page", args=[source.slug, "16"])
    assert f'<a href="{link}" title="Open the document at this page">p. 16</a>' in page
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == f"{source.file.url}#page=2"


@pytest.mark.parametrize(
    ("locator", "page"),
    [("p. 16", "16"), ("pp. 13–15 (section 'Assurances')", "13"), ("p. 15, fn. 42", "15"), ("page iv", "iv"),
     ("fn. 18", ""), ("para. 4", ""), ("entire document", "")],
)
def test_the_page_a_locator_names(locator, page):
    assert f.CitationFactory.build(locator=locator, locator_kind="").page_label == page


# --- what the public never gets ------------------------------------------------------------------------


@pytest.mark.parametrize("hidden", [RESTRICTED, DRAFT], ids=["restricted", "draft"])
def test_a_hidden_sources_document_and_words_never_reach_the_public(judgment, hidden, anonymous, viewer, client):
    _, ruling = judgment
    secret = judgment_source(text=("Cover", "The witness Qzvxname was tortured."), **hidden)
    f.CitationFactory(source=secret, record=ruling, locator="p. 16")
    for resource in ("sources", "rulings"):
        assert search(anonymous, resource, "Qzvxname") == []
    echoes = client.get("/sources/", {"q": "Qzvxnone"}).content.decode().count("Qzvxnone")  # the query shown back
    assert client.get("/sources/", {"q": "Qzvxname"}).content.decode().count("Qzvxname") == echoes
    ruling_page = client.get(ruling.get_absolute_url(), {"q": "Qzvxname"}).content.decode()
    assert "Nothing in the judgment matches “Qzvxname”" in ruling_page and "<mark>Qzvxname" not in ruling_page
    assert secret.file.url not in ruling_page
    assert client.get(secret.file.url).status_code == 404
    assert client.get(reverse("site:source-page", args=[secret.slug, "16"])).status_code == 404
    # Staff find the source by its words and read its document.
    assert search(viewer, "sources", "Qzvxname") == [secret.slug]


def test_a_public_sources_document_is_served_as_what_it_is(judgment, client):
    source, _ = judgment
    response = client.get(source.file.url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"].startswith("private")  # no shared cache keeps a copy past an unpublishing
    web_page = f.SourceFactory(file=upload("judgment.pdf", html("<p>Text</p>")))
    response = client.get(web_page.file.url)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == "sandbox" and response["X-Content-Type-Options"] == "nosniff"


def test_unpublishing_a_judgment_takes_its_words_out_of_the_rulings_index(judgment, anonymous):
    source, ruling = judgment
    assert search(anonymous, "rulings", "consular") == [ruling.slug]
    source.publication_status = PublicationStatus.DRAFT
    source.save()
    assert search(anonymous, "rulings", "consular") == []


# --- what the public sees changes when an editor approves ------------------------------------------


def test_a_researchers_new_document_for_a_public_source_waits_for_an_editor(client, anonymous):
    from extraditions.changes import PendingChange
    from tests.conftest import verify_second_factor
    from tests.extraditions.test_pending_changes import member_of

    source = f.SourceFactory(kind=SourceKind.COURT_DECISION, title="Judgment on appeal")
    researcher, editor = member_of("researcher", "res"), member_of("editor", "ed")
    verify_second_factor(client, researcher)
    url = reverse("admin:sources_source_change", args=[source.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "file"}
    data.update({"published": "", "file": upload("appeal.pdf", pdf("Cover", "Extradition would expose him to torture."))})
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    source.refresh_from_db()
    assert not source.file and not source.pages.exists()  # held: the public sees the source as it was
    assert search(anonymous, "sources", "torture") == []

    PendingChange.objects.get().approve(editor)
    source.refresh_from_db()
    assert (source.media_type, source.page_count) == (documents.PDF, 2)
    assert list(source.pages.values_list("label", flat=True)) == ["1", "2"]  # read from the stored file on approval
    assert search(anonymous, "sources", "torture") == [source.slug]
    assert client.logout() is None and client.get(source.file.url).status_code == 200


def test_the_upgrade_command_reads_every_attached_file_again(judgment, anonymous):
    import io

    from django.core.management import call_command

    source, _ = judgment
    DocumentPage.objects.all().delete()
    Source.objects.filter(pk=source.pk).update(page_count=0, media_type="")  # as attached before the upgrade
    broken = f.SourceFactory()
    Source.objects.filter(pk=broken.pk).update(file="sources/missing.pdf")
    out, err = io.StringIO(), io.StringIO()
    call_command("read_source_documents", stdout=out, stderr=err)
    assert "Documents of 2 sources: 1 read, 0 unchanged, 1 failed" in out.getvalue()
    assert "missing" in err.getvalue()
    source.refresh_from_db()
    assert (source.page_count, source.pages.count()) == (3, 3)
    assert search(anonymous, "sources", "tortured") == [source.slug]
    call_command("read_source_documents", "--changed-only", stdout=out, stderr=err)
    assert out.getvalue().splitlines()[-1].startswith("Documents of 2 sources: 0 read, 1 unchanged, 1 failed")
