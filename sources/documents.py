"""A source's attached document read as text, page by page: what search finds and cites by page.

The text is read when a file is attached (``Source.clean`` reads it, so that an unreadable file is
refused with a clear error before anything is saved; ``Source.save`` stores the pages):

- a PDF with pypdf, a page at a time, each page under its printed label (a PDF's ``/PageLabels``:
  "iv", "16") beside its place in the file, which is what a viewer's ``#page=N`` opens;
- an HTML page with Beautiful Soup, without its scripts and styles, as one page;
- a plain-text file as one page.

Other files are kept and served but hold no text. A scanned PDF has pages but no text on them:
it is stored with empty pages, and the admin says so.

The pages are derived data (:class:`sources.models.DocumentPage`), like the search index: they
are rebuilt from the file whenever a source's file differs from the one they were read from, so
that a change an editor approves later (``extraditions.changes``) gets its pages when it is applied.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction

logger = logging.getLogger(__name__)

PDF = "application/pdf"
HTML = "text/html"
TEXT = "text/plain"
OTHER = "application/octet-stream"
MEDIA_TYPES_WITH_TEXT = (PDF, HTML, TEXT)
MEDIA_TYPE_NAMES = {PDF: "PDF", HTML: "web page", TEXT: "text file", OTHER: "file"}

SNIFFED_BYTES = 2048
HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
NON_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters: PostgreSQL refuses NUL in text
BLANK_LINES = re.compile(r"\n\s*\n+")


class UnreadableDocument(ValueError):
    """The file claims to be a document the tracker reads, but its text cannot be read."""


@dataclass(frozen=True)
class Page:
    number: int  # 1 for the first page of the file: what a PDF viewer's #page=N opens
    label: str  # as printed on the page ("iv", "16"); the number when the document gives none
    text: str


@dataclass
class Document:
    media_type: str
    pages: list[Page] = field(default_factory=list)

    @property
    def pages_without_text(self) -> int:
        return sum(1 for page in self.pages if not page.text.strip())


def media_type_of(file) -> str:
    """What the file is, by its first bytes (then its name for plain text): not by what the
    uploader's browser claims, which a page could set to anything."""
    file.seek(0)
    head = file.read(SNIFFED_BYTES)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if head.lstrip(b"\xef\xbb\xbf").startswith(b"%PDF-"):
        return PDF
    if HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return HTML
    suffix = PurePath(getattr(file, "name", "") or "").suffix.lower()
    if suffix in (".html", ".htm") and b"\x00" not in head:
        return HTML
    if suffix in (".txt", ".text") and b"\x00" not in head:
        return TEXT
    return OTHER


def read_document(file) -> Document:
    """The file's kind and its pages of text; raises :class:`UnreadableDocument` for a PDF or a
    page that cannot be read."""
    media_type = media_type_of(file)
    reader = {PDF: _pdf_pages, HTML: _html_pages, TEXT: _text_pages}.get(media_type)
    if reader is None:
        return Document(media_type)
    file.seek(0)
    try:
        return Document(media_type, reader(file))
    finally:
        file.seek(0)


def _clean(text: str) -> str:
    return BLANK_LINES.sub("\n\n", NON_TEXT.sub(" ", text or "")).strip()


def _pdf_pages(file) -> list[Page]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("The PDF is protected by a password: attach a copy without one.")
        labels = reader.page_labels
        pages = []
        for index, pdf_page in enumerate(reader.pages):
            label = labels[index] if index < len(labels) and labels[index] else str(index + 1)
            pages.append(Page(index + 1, label[:30], _clean(pdf_page.extract_text())))
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        logger.info("Unreadable PDF: %s", error)
        raise UnreadableDocument(f"The PDF could not be read ({error}). Is it complete and not damaged?") from error
    if not pages:
        raise UnreadableDocument("The PDF has no pages.")
    return pages


def _decoded(file) -> str:
    data = file.read()
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _html_pages(file) -> list[Page]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decoded(file), "html.parser")
    for hidden in soup(["script", "style", "noscript", "template", "head"]):
        hidden.decompose()
    return [Page(1, "1", _clean(soup.get_text("\n")))]


def _text_pages(file) -> list[Page]:
    return [Page(1, "1", _clean(_decoded(file)))]


# --- the pages stored for a source -------------------------------------------------------------


def keep_pages_current(source, document: Document | None = None) -> None:
    """Make the stored pages those of the source's file: ``document``, the file just attached and
    read, or else the stored file, read again if the pages are not its own."""
    from extraditions.search.indexing import changed

    from .models import DocumentPage

    pages = DocumentPage.objects.filter(source=source)
    if not source.page_count:
        if pages.exists():
            pages.delete()
            changed(source)
        return
    if document is None:
        if pages.filter(sha256=source.sha256).count() == source.page_count:
            return
        try:
            with source.file.open("rb") as file:
                document = read_document(file)
        except (OSError, UnreadableDocument) as error:  # the stored file is gone or damaged: say so, lose nothing
            logger.error("The document of source %s could not be read again: %s", source.pk, error)
            return
    with transaction.atomic():
        pages.delete()
        DocumentPage.objects.bulk_create(
            DocumentPage(source=source, sha256=source.sha256, number=page.number, label=page.label, text=page.text)
            for page in document.pages
        )
    changed(source)
