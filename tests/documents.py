"""Documents the tests generate: PDFs (fpdf2) with text on chosen pages and printed page labels,
and HTML pages, so that extraction is tested on real files, not on mocks."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf(*pages: str, first_printed: int | None = None) -> bytes:
    """A PDF with one page per text (an empty text: a page without a text layer, like a scan).
    With ``first_printed``, the first page is a cover labelled "i" and the next are printed from
    that number on, as in a judgment whose page 16 is the file's second page."""
    from fpdf import FPDF

    document = FPDF()
    document.set_font("helvetica", size=12)
    for index, text in enumerate(pages):
        document.add_page()
        if first_printed is not None and index == 0:
            document.set_page_label(label_style="r")
        elif first_printed is not None and index == 1:
            document.set_page_label(label_style="D", label_start=first_printed)
        if text:
            document.multi_cell(0, 8, text)
    return bytes(document.output())


def html(body: str, title: str = "Judgment") -> bytes:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title><style>p {{ color: red }}</style></head>"
        f"<body>{body}<script>document.title = 'scriptword'</script></body></html>"
    ).encode()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
