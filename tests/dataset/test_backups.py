"""Backups: export_dataset writes everything, import_dataset restores it into an empty database,
and nothing is lost on the way (on SQLite and on PostgreSQL, as the suite runs on both)."""

import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import DateTimeField
from django.utils import timezone

from alerts.models import Action, AlertMail, RecordEvent, Subscription, Webhook, WebhookDelivery
from cases.models import Case, Person
from dataset.backups import bundled_models
from extraditions.models import RestrictedRecordView
from extraditions.roles import RESEARCHER
from sources.models import Citation
from tests.api.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def everything(db):
    """Records public, restricted and draft, with history; a researcher; an audited restricted view."""
    worlds = {
        "public": build_world("public"),
        "restricted": build_world("restricted", visibility="restricted"),
        "draft": build_world("draft", publication_status="draft"),
    }
    researcher = User.objects.create_user("researcher", password="a long password 123", is_staff=True)
    researcher.groups.add(Group.objects.get(name=RESEARCHER))
    restricted = worlds["restricted"]["person"]
    restricted.biography = "Changed once, so that there is history to keep."
    restricted.save()
    RestrictedRecordView.objects.create(
        user=researcher, content_type=ContentType.objects.get_for_model(restricted), object_id=restricted.pk,
        record_label=str(restricted), channel="admin", path="/admin/",
    )
    # Who follows what: a confirmed subscriber with an alert sent, a webhook with a delivery.
    subscription = Subscription.objects.create(
        email="lawyer@example.org", listing="rulings", query="ground=echr-3", confirmed_at=timezone.now()
    )
    case = worlds["public"]["case"]
    event = RecordEvent.objects.create(listing="cases", object_id=case.pk, record_uid=case.uid, action=Action.PUBLISHED)
    AlertMail.objects.create(subscription=subscription, up_to_event=event.pk, records=1, sent_at=timezone.now())
    hook = Webhook.objects.create(owner=researcher, name="mirror", url="https://partner.example.org/hook", actions=["published"])
    WebhookDelivery.objects.create(webhook=hook, event=event, carried_content=True, response_status=200)
    return worlds


def export(path, *options) -> dict:
    out = StringIO()
    call_command("export_dataset", str(path), *options, stdout=out)
    assert "Exported" in out.getvalue()
    return json.loads((path / "manifest.json").read_text())


def files_of(manifest: dict) -> dict[str, tuple[int, str]]:
    return {entry["model"]: (entry["records"], entry["sha256"]) for entry in manifest["files"]}


def empty_the_database() -> None:
    """As a new, migrated database (inside the test's transaction, rolled back after it)."""
    if connection.vendor != "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending foreign-key checks
        call_command("flush", interactive=False, verbosity=0)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as in a transaction of its own


def set_times_below_a_millisecond() -> int:
    """Give every date-time of every bundled record a time a JSON encoder may round: 400 µs past a
    second (a millisecond encoder writes .000 and reads back a whole second) and 123,456 µs."""
    changed = 0
    for number, model in enumerate(bundled_models(with_history=True)):
        for field in model._meta.concrete_fields:
            if isinstance(field, DateTimeField):
                when = datetime.datetime(2024, 5, 6, 7, 8, 9, 400 if number % 2 else 123_456, tzinfo=datetime.UTC)
                changed += model._default_manager.filter(**{f"{field.attname}__isnull": False}).update(
                    **{field.attname: when})
    return changed


def test_a_bundle_restores_into_an_empty_database_with_nothing_lost(everything, tmp_path):
    assert set_times_below_a_millisecond() > 10  # history dates, accounts, the audit of views
    first = export(tmp_path / "one", "--with-history")
    counts = {model: records for model, (records, _) in files_of(first).items()}
    assert counts["cases.person"] == 3 and counts["cases.case"] == 3  # restricted and draft included
    assert counts["cases.historicalperson"] >= 4 and counts["extraditions.restrictedrecordview"] == 1
    assert counts["auth.user"] == 1
    assert counts["alerts.subscription"] == counts["alerts.webhook"] == counts["alerts.webhookdelivery"] == 1
    assert "extraditions.job" not in counts  # the queue's log is not the NGO's data

    empty_the_database()
    assert not Person.objects.exists()
    out = StringIO()
    call_command("import_dataset", str(tmp_path / "one"), stdout=out)
    assert "Restored" in out.getvalue()

    # The restored database writes the same bundle, file for file: every field of every record.
    second = export(tmp_path / "two", "--with-history")
    assert files_of(second) == files_of(first)
    assert first["schema"] == second["schema"]
    assert {entry.history_date.microsecond for entry in Person.history.all()} <= {400, 123_456}

    # and it works: searchable, citable, loggable-into, and new records get new ids.
    person = Person.objects.get(pk=everything["restricted"]["person"].pk)
    assert person.history.count() >= 2
    assert Citation.objects.filter(object_id=person.pk).exists()
    assert User.objects.get(username="researcher").check_password("a long password 123")
    assert User.objects.get(username="researcher").groups.filter(name=RESEARCHER).exists()
    new = Case.objects.create(slug="after-restore", title="After the restore", kind="formal_extradition")
    assert new.pk > max(c.pk for c in Case.objects.exclude(pk=new.pk))


def test_without_history_the_records_are_all_there(everything, tmp_path):
    manifest = export(tmp_path / "bundle")
    assert not any("historical" in entry["model"] for entry in manifest["files"])
    empty_the_database()
    call_command("import_dataset", str(tmp_path / "bundle"), stdout=StringIO())
    assert Person.objects.count() == 3 and Case.objects.count() == 3


def test_a_damaged_bundle_is_refused_before_anything_is_written(everything, tmp_path):
    export(tmp_path / "bundle")
    damaged = tmp_path / "bundle" / "cases.person.jsonl"
    damaged.write_text(damaged.read_text().replace("Person public", "Person altered"))
    empty_the_database()
    with pytest.raises(CommandError, match="cases.person.jsonl does not match its checksum"):
        call_command("import_dataset", str(tmp_path / "bundle"), stdout=StringIO())
    assert not Case.objects.exists()


def test_a_bundle_is_restored_into_an_empty_database_only(everything, tmp_path):
    export(tmp_path / "bundle")
    with pytest.raises(CommandError, match="already holds records"):
        call_command("import_dataset", str(tmp_path / "bundle"), stdout=StringIO())
    assert Person.objects.count() == 3


def test_a_bundle_of_another_schema_is_refused(everything, tmp_path):
    export(tmp_path / "bundle")
    manifest_path = tmp_path / "bundle" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["schema"]["cases"] = "9999_from_the_future"
    manifest_path.write_text(json.dumps(manifest))
    empty_the_database()
    with pytest.raises(CommandError, match="another schema"):
        call_command("import_dataset", str(tmp_path / "bundle"), stdout=StringIO())


def test_export_wants_a_new_directory(everything, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("kept")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_dataset", str(tmp_path / "old"), stdout=StringIO())
