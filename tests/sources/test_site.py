"""The public pages of sources and reported figures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from extraditions.models import Visibility
from sources.models import FigureMetric
from tests import factories as f


@pytest.fixture
def figures(db):
    report = f.SourceFactory(title="Safeguard Defenders report")
    ngo = f.SourceFactory(title="Another NGO's count", publisher="Another NGO")
    secret = f.SourceFactory(title="Zqxv internal memo", visibility=Visibility.RESTRICTED)
    made = []
    for year, value, source in ((2018, 100, report), (2019, 120, report), (2019, 140, ngo)):
        figure = f.ReportedFigureFactory(metric=FigureMetric.RED_NOTICES_ISSUED, year_from=year, year_to=year, value=value)
        f.CitationFactory(record=figure, source=source, locator="p. 4")
        made.append(figure)
    f.CitationFactory(record=made[0], source=secret, locator="Zqxv")
    f.ReportedFigureFactory(metric=FigureMetric.PERSONS_RETURNED, value=9999, visibility=Visibility.RESTRICTED)
    return made


def test_conflicting_figures_stand_side_by_side_with_their_sources(client, figures):
    html = client.get("/figures/").content.decode()
    assert "Red Notices issued" in html
    assert "<td>2019</td><td>120</td>" in html and "<td>2019</td><td>140</td>" in html
    assert "Safeguard Defenders report, p. 4" in html and "Another NGO&#x27;s count, p. 4" in html
    assert html.count("<rect") == 3  # one bar per figure, the two 2019 figures side by side
    assert "Zqxv" not in html and "9,999" not in html and "9999" not in html


def test_a_figures_uncertainties_are_on_the_page_with_it(client, figures):
    figures[1].notes = "Undated in the report: only the call for an inquiry is dated."
    figures[1].save()
    citation = figures[1].citations.get()
    citation.note, citation.locator = "No footnote of its own.", "p. 12"
    citation.save()
    html = client.get("/figures/").content.decode()
    assert "Undated in the report: only the call for an inquiry is dated." in html
    assert "Safeguard Defenders report</a>, p. 12 <span class=\"meta\">(No footnote of its own.)</span>" in html


def test_the_sources_list_searches_and_hides_restricted_sources(client, figures):
    html = client.get("/sources/").content.decode()
    assert "Safeguard Defenders report" in html and "Zqxv" not in html
    assert "Another NGO" not in client.get("/sources/", {"q": "safeguard"}).content.decode()


@pytest.mark.parametrize("url", ["/figures/", "/sources/"])
def test_the_pages_cost_the_same_queries_however_many_records(client, figures, url):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    queries()
    before = queries()
    for year in range(2000, 2005):
        figure = f.ReportedFigureFactory(metric=FigureMetric.RED_NOTICES_ISSUED, year_from=year, year_to=year)
        f.CitationFactory(record=figure)
    assert queries() == before


def test_a_source_page_lists_the_records_citing_it_and_no_hidden_one(client, db):
    from tests.api.conftest import RESTRICTED, build_world

    world = build_world("public")
    hidden = build_world("Zqxv", **RESTRICTED)
    f.CitationFactory(source=world["source"], record=hidden["case"], locator="p. Zqxv")
    html = client.get(f"/sources/{world['source'].slug}/").content.decode()
    assert world["case"].get_absolute_url() in html and world["ruling"].get_absolute_url() in html
    assert world["person"].get_absolute_url() in html and "Case (1)" in html
    assert "Zqxv" not in html
    assert client.get(f"/sources/{hidden['source'].slug}/").status_code == 404
    assert f"/sources/{world['source'].slug}/" in client.get("/sources/").content.decode()
