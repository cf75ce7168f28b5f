import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from sources.models import Citation, FigureQualifier, FigureUnit, ReportedFigure
from tests.documents import pdf
from tests.factories import CaseFactory, PersonFactory, ReportedFigureFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_sha256_is_computed_when_a_file_is_attached():
    content = pdf("Judgment of the Supreme Court")
    source = SourceFactory(file=SimpleUploadedFile("verdict.pdf", content))
    assert source.sha256 == hashlib.sha256(content).hexdigest()
    source.refresh_from_db()
    assert source.sha256 == hashlib.sha256(content).hexdigest()


def test_sha256_is_cleared_when_the_file_is_removed():
    source = SourceFactory(file=SimpleUploadedFile("a.txt", b"a"))
    source.file = None
    source.save()
    assert source.sha256 == ""


def test_a_source_url_is_recorded_once():
    SourceFactory(url="https://example.org/report.pdf")
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceFactory(url="https://example.org/report.pdf")
    SourceFactory(url="")
    SourceFactory(url="")


def test_published_date_shows_at_its_precision():
    source = SourceFactory()
    source.published = "2022-02"
    source.save()
    assert str(source.published) == "February 2022"


def test_any_record_lists_its_citations():
    report = SourceFactory()
    person, case = PersonFactory(), CaseFactory()
    Citation.objects.create(source=report, record=person, locator="p. 16")
    Citation.objects.create(source=report, record=case, locator="p. 16, fn. 18")
    assert [c.locator for c in person.citations.all()] == ["p. 16"]
    assert [str(c) for c in case.citations.all()] == [f"{report.title}, p. 16, fn. 18"]


def test_the_same_locator_is_cited_once_per_record():
    report, person = SourceFactory(), PersonFactory()
    Citation.objects.create(source=report, record=person, locator="p. 16")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=report, record=person, locator="p. 16")


def test_deleting_a_record_deletes_its_citations_but_a_cited_source_is_protected():
    report, person = SourceFactory(), PersonFactory()
    Citation.objects.create(source=report, record=person, locator="p. 1")
    person.delete()
    assert not Citation.objects.exists()
    Citation.objects.create(source=report, record=CaseFactory(), locator="p. 2")
    with pytest.raises(Exception, match="protected"):
        report.delete()


class TestReportedFigures:
    def test_conflicting_figures_for_the_same_year_coexist(self):
        ReportedFigureFactory(value=200, qualifier=FigureQualifier.AT_LEAST)
        ReportedFigureFactory(value=612)
        assert ReportedFigure.objects.filter(year_from=2019).count() == 2

    def test_the_period_cannot_end_before_it_starts(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportedFigureFactory(year_from=2021, year_to=2013)

    def test_a_range_needs_an_upper_bound_above_the_value(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportedFigureFactory(qualifier=FigureQualifier.RANGE)
        with pytest.raises(IntegrityError), transaction.atomic():
            ReportedFigureFactory(value=10, value_high=5)

    def test_labels(self):
        figure = ReportedFigureFactory(
            metric="rsdl_detainees", year_from=2013, year_to=2021, value=Decimal("83966"),
            value_high=Decimal("113407"), qualifier=FigureQualifier.RANGE, unit=FigureUnit.PERSONS,
        )
        assert figure.period_label == "2013–2021"
        assert figure.value_label == "83,966–113,407"
        rate = ReportedFigureFactory(value=Decimal("99.96"), unit=FigureUnit.PERCENT, qualifier=FigureQualifier.AT_LEAST)
        assert rate.value_label == "at least 99.96%"
        snapshot = ReportedFigureFactory(year_from=None, year_to=None, as_of=datetime.date(2021, 3, 1),
                                         as_of_precision="month")
        assert snapshot.period_label == "as of March 2021"
