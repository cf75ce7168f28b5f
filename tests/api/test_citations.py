"""Citations fit for a brief and for a reference manager: a ruling and any filtered list of rulings
as CSL-JSON (checked against the CSL schema, tests/fixtures/csl-data.json, from
github.com/citation-style-language/schema, MIT licence), RIS and BibLaTeX, from the API and the
site; nothing a reader may not see reaches a reference."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import jsonschema
import pytest
from django.utils import timezone

from cases import models as cases
from tests import factories as f

from .conftest import RESTRICTED

CSL_SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "csl-data.json").read_text())
ECLI = "ECLI:CE:ECHR:2022:1006JUD003761018"


@pytest.fixture
def liu(db):
    ruling = f.CourtRulingFactory(
        slug="echr-liu-v-poland-2022", court="European Court of Human Rights (First Section)", country="",
        international_body="European Court of Human Rights", level=cases.CourtLevel.REGIONAL_HUMAN_RIGHTS,
        decided_on=datetime.date(2022, 10, 6), decided_on_precision="day", decision=cases.RulingDecision.WOULD_VIOLATE,
        docket_number="37610/18", parties="Liu v. Poland", ecli=ECLI, language="en", summary="Torture risk.",
    )
    f.CourtRulingFactory(court="Högsta domstolen & co", decided_on=datetime.date(2019, 7, 1), decided_on_precision="month",
                         docket_number="Ö 2479-19", summary="Torture risk too.")
    f.CourtRulingFactory(court="Secret court", summary="Torture risk, hidden.", **RESTRICTED)
    return ruling


def export(client, url: str, fmt: str, **params):
    response = client.get(url, {"format": fmt, **params})
    assert response.status_code == 200, response.content[:300]
    return response


def test_a_ruling_as_csl_json_is_valid_and_complete(liu, anonymous):
    response = export(anonymous, f"/api/v1/rulings/{liu.slug}/", "csl")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="extraditions-tracker_{liu.slug}_{today}.json"'
    items = json.loads(response.content)
    jsonschema.validate(items, CSL_SCHEMA)
    assert items == [{
        "id": liu.slug, "type": "legal_case", "title": "Liu v. Poland", "title-short": "Liu v. Poland",
        "authority": "European Court of Human Rights (First Section)", "number": "37610/18",
        "issued": {"date-parts": [[2022, 10, 6]]}, "jurisdiction": "European Court of Human Rights", "language": "en",
        "URL": f"http://testserver/rulings/{liu.slug}/",
        "note": f"ECLI: {ECLI}\nWould violate the person's rights if returned",
    }]


def test_a_filtered_list_exports_every_match_and_nothing_hidden(liu, anonymous, viewer):
    public = anonymous.get("/api/v1/rulings/", {"q": "torture", "page_size": 1}).json()["count"]
    items = json.loads(export(anonymous, "/api/v1/rulings/", "csl", q="torture").content)
    jsonschema.validate(items, CSL_SCHEMA)
    assert len(items) == public == 2  # the whole list, not its first page
    assert all("Secret" not in json.dumps(item) for item in items)
    dated = {item["id"]: item["issued"]["date-parts"][0] for item in items}
    assert sorted(dated.values()) == [[2019, 7], [2022, 10, 6]]  # a month is cited as a month
    assert len(json.loads(export(viewer, "/api/v1/rulings/", "csl", q="torture").content)) == 3


def test_ris_and_bibtex_are_well_formed(liu, anonymous):
    ris = export(anonymous, "/api/v1/rulings/", "ris", q="torture").content.decode()
    records = [record for record in ris.split("ER  - \r\n") if record.strip()]
    assert len(records) == 2 and all(record.startswith("TY  - CASE\r\n") for record in records)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in ris.splitlines() if line)
    assert "DA  - 2022/10/06/" in ris and "M1  - 37610/18" in ris and f"N1  - ECLI: {ECLI}" in ris

    response = export(anonymous, "/api/v1/rulings/", "bib", q="torture")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="extraditions-tracker_court-rulings_filtered_{today}.bib"'
    bib = response.content.decode()
    assert bib.count("@jurisdiction{") == 2
    assert bib.count("{") - bib.count("\\{") == bib.count("}") - bib.count("\\}")  # braces balanced
    assert "institution = {Högsta domstolen \\& co}" in bib  # TeX's specials escaped
    assert "date = {2019-07}" in bib and "number = {37610/18}" in bib


def test_the_ruling_page_cites_the_judgment_and_links_the_formats(liu, client):
    page = client.get(liu.get_absolute_url()).content.decode()
    assert (
        "Liu v. Poland, European Court of Human Rights (First Section), 6 October 2022, no. 37610/18, "
        f"{ECLI}." in page
    )
    for fmt, media_type in (("csl", "application/vnd.citationstyles.csl+json"), ("ris", "application/x-research-info-systems"),
                            ("bib", "application/x-bibtex")):
        link = re.search(rf'href="([^"]+{liu.slug}/\?format={fmt})"', page).group(1)
        assert client.get(link)["Content-Type"].startswith(media_type)
    listing = client.get("/rulings/", {"q": "torture"}).content.decode()
    assert "/api/v1/rulings/?q=torture&amp;format=ris" in listing


@pytest.mark.parametrize("query", ["Liu v. Poland", ECLI, "37610/18"])
def test_a_ruling_is_found_as_it_is_cited(liu, anonymous, query):
    assert [r["id"] for r in anonymous.get("/api/v1/rulings/", {"q": query}).json()["results"]] == [liu.slug]


def test_an_ecli_is_checked(liu, editor):
    liu.ecli = "ECLI:nonsense"
    with pytest.raises(Exception, match="An ECLI reads"):
        liu.full_clean()
    refused = editor.patch(f"/api/v1/rulings/{liu.slug}/", {"ecli": "ECLI:bad"}, format="json")
    assert refused.status_code == 400 and "ecli" in refused.json()["errors"]


def test_an_empty_list_is_still_a_file_of_its_format(db, anonymous):
    for fmt, media_type in (("csl", "application/vnd.citationstyles.csl+json"), ("ris", "application/x-research-info-systems"),
                            ("bib", "application/x-bibtex")):
        response = export(anonymous, "/api/v1/rulings/", fmt, q="nothing-like-it")
        assert response["Content-Type"].startswith(media_type), fmt
        assert response.content.strip() in (b"[]", b"", b"% No rulings match."), fmt
