"""A ruling cited as a lawyer cites it: in a brief (court, date, docket or application number,
parties where public, ECLI), and for a reference manager as CSL-JSON (what Zotero, Mendeley and
pandoc read), RIS and BibLaTeX.

Citations are made from what the reader is shown of a ruling — the API's record of it, or the
record on its page — never from more: a reference carries nothing the reader could not see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from extraditions.partial_dates import DatePrecision, PartialDate


@dataclass(frozen=True)
class RulingReference:
    key: str  # the ruling's stable id
    court: str
    decided: PartialDate | None
    docket: str = ""
    parties: str = ""
    ecli: str = ""
    url: str = ""  # the ruling's public page
    language: str = ""
    jurisdiction: str = ""  # the court's country (ISO code) or the international body
    decision: str = ""  # its label

    @classmethod
    def from_record(cls, record: dict, url: str, decision_label: str = "") -> RulingReference:
        """From the API's record of a ruling (as its reader sees it)."""
        decided = record.get("decided")
        return cls(
            key=record["id"], court=record.get("court") or "", decided=PartialDate.parse(decided) if decided else None,
            docket=record.get("docket_number") or "", parties=record.get("parties") or "", ecli=record.get("ecli") or "",
            url=url, language=record.get("language") or "",
            jurisdiction=record.get("country") or record.get("international_body") or "", decision=decision_label,
        )

    @classmethod
    def from_ruling(cls, ruling, url: str) -> RulingReference:
        return cls(
            key=ruling.slug, court=ruling.court, decided=ruling.decided, docket=ruling.docket_number,
            parties=ruling.parties, ecli=ruling.ecli, url=url, language=ruling.language,
            jurisdiction=ruling.country.code if ruling.country else ruling.international_body,
            decision=ruling.get_decision_display(),
        )

    @property
    def title(self) -> str:
        return self.parties or ", ".join(filter(None, [self.court, self.docket])) or self.key

    def text(self) -> str:
        """The standard form for a brief: parties, court, date, number, ECLI.

        ``Liu v. Poland, European Court of Human Rights (First Section), 6 October 2022, no. 37610/18,
        ECLI:CE:ECHR:2022:1006JUD003761018``
        """
        number = f"no. {self.docket}" if self.docket and self.parties else self.docket
        return ", ".join(filter(None, [self.parties, self.court, str(self.decided or ""), number, self.ecli]))

    @property
    def notes(self) -> list[str]:
        """What a reference manager keeps as notes: the ECLI (no CSL, RIS or BibLaTeX field holds
        one) and the decision."""
        return [note for note in (f"ECLI: {self.ecli}" if self.ecli else "", self.decision) if note]

    def date_parts(self) -> list[int]:
        if self.decided is None:
            return []
        date, precision = self.decided.date, self.decided.precision
        parts = [date.year, date.month, date.day]
        return parts[: {DatePrecision.YEAR: 1, DatePrecision.MONTH: 2}.get(precision, 3)]

    # --- for reference managers ------------------------------------------------------------------

    def csl(self) -> dict:
        """A CSL-JSON item (https://citationstyles.org/, schema in tests/fixtures/csl-data.json)."""
        item = {"id": self.key, "type": "legal_case", "title": self.title, "authority": self.court}
        if self.parties:
            item["title-short"] = self.parties
        if self.docket:
            item["number"] = self.docket
        if self.decided is not None:
            item["issued"] = {"date-parts": [self.date_parts()]}
        if self.jurisdiction:
            item["jurisdiction"] = self.jurisdiction
        if self.language:
            item["language"] = self.language
        if self.url:
            item["URL"] = self.url
        if self.notes:
            item["note"] = "\n".join(self.notes)
        return item

    def ris(self) -> str:
        """A RIS record of type CASE."""
        lines = [("TY", "CASE"), ("ID", self.key), ("TI", self.title), ("PB", self.court)]
        if self.decided is not None:
            parts = self.date_parts()
            lines += [("PY", str(parts[0])), ("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + "/")]
        lines += [(tag, value) for tag, value in (
            ("M1", self.docket), ("CY", self.jurisdiction), ("LA", self.language), ("UR", self.url),
            *(("N1", note) for note in self.notes),
        ) if value]
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)

    def bibtex(self) -> str:
        """A BibLaTeX ``@jurisdiction`` entry."""
        fields = [("title", self.title), ("institution", self.court), ("number", self.docket),
                  ("date", self.decided.isoformat() if self.decided else ""), ("url", self.url), ("note", "; ".join(self.notes))]
        body = ",\n".join(f"  {name} = {{{tex(value)}}}" for name, value in fields if value)
        return f"@jurisdiction{{{bibtex_key(self.key)},\n{body}\n}}\n"


def one_line(value: str) -> str:
    return " ".join(str(value).split())


TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def tex(value: str) -> str:
    """Text as BibLaTeX reads it literally (UTF-8 letters as they are, TeX's specials escaped)."""
    return "".join(TEX_SPECIAL.get(char, char) for char in one_line(value))


def bibtex_key(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]", "-", key)


class Format(NamedTuple):
    media_type: str
    extension: str
    label: str  # as the site names it
    write: Callable[[list[RulingReference]], str]
    empty: str  # an empty list: a file that says so, which the format's readers skip


FORMATS = {  # by the API's ?format=
    "csl": Format("application/vnd.citationstyles.csl+json", "json", "CSL-JSON (Zotero)",
                  lambda refs: json.dumps([r.csl() for r in refs], ensure_ascii=False, indent=2), "[]"),
    "ris": Format("application/x-research-info-systems", "ris", "RIS", lambda refs: "".join(r.ris() for r in refs), "\r\n"),
    "bib": Format("application/x-bibtex", "bib", "BibLaTeX", lambda refs: "\n".join(r.bibtex() for r in refs),
                  "% No rulings match.\n"),
}


def written(references: list[RulingReference], format: str) -> str:
    """The references in a format; never empty (an empty answer would lose its Content-Type)."""
    return FORMATS[format].write(references) or FORMATS[format].empty
