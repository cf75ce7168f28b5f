"""The slow work that follows a change runs in the worker, before anyone asks: the bulk downloads
of the current data and the public figures (alerts/tasks.py)."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.tasks import detect_public_changes
from cases.models import Case
from cases.reads import chart_counts
from dataset import bulk
from dataset.stats import headline_figures
from extraditions.caching import data_version
from extraditions.models import PublicationStatus
from extraditions.visibility import PUBLIC
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)  # the figures are cached only outside a transaction


@pytest.fixture
def a_publication():
    """A case published after the detection's baseline: an event for the jobs to follow."""
    detect_public_changes.call_local()
    case = f.CaseFactory(publication_status=PublicationStatus.DRAFT)
    publish(case, publication_status=PublicationStatus.PUBLISHED)
    return case


def publish(record, **changes):
    """A change as a request makes it: one transaction (the record, its search document), committed;
    the detection then runs (the suite runs jobs where they are enqueued)."""
    with transaction.atomic():
        for name, value in changes.items():
            setattr(record, name, value)
        record.save()


def test_a_publication_builds_the_bulk_downloads_of_the_new_data(settings, a_publication):
    settings.BULK_DOWNLOADS_PREBUILD = True
    assert not (bulk.bundle_dir(data_version()) / bulk.MANIFEST).exists()
    publish(a_publication, summary="Changed again")
    manifest = bulk.bundle_dir(data_version()) / bulk.MANIFEST
    assert manifest.exists()  # made by the job, for the data as it now is
    assert json.loads(manifest.read_text())["tables"]["cases"]["rows"] == Case.objects.public().count() == 1


def test_a_publication_leaves_the_public_figures_computed(a_publication):
    with CaptureQueriesContext(connection) as queries:
        headline_figures(timezone.localdate(), PUBLIC)
        chart_counts(PUBLIC)
    assert len(queries) == 0  # read from the cache the job filled
