"""The seed loader, on a small sample in the real format: idempotent, complete, all-or-nothing."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from cases.models import Alias, Breach, Case, CaseEvent, CourtRuling, InterpolNotice, Person
from sources.models import Citation, ReportedFigure
from treaties.models import Treaty

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "seed-sample"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_dir(tmp_path):
    target = tmp_path / "seed"
    shutil.copytree(SAMPLE, target)
    return target


def load(seed_dir):
    call_command("load_seed_data", dir=seed_dir, stdout=io.StringIO())


def snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list("uid", "updated_at")))
        for model in (Person, Alias, Case, CaseEvent, CourtRuling, InterpolNotice, ReportedFigure, Treaty, Breach, Citation)
    }


def test_everything_in_the_sample_is_loaded_and_linked(seed_dir):
    load(seed_dir)
    case = Case.objects.get(slug="se-qiao-jianjun-2019")
    assert [p.slug for p in case.persons.all()] == ["qiao-jianjun"]
    assert str(case.detentions.get().started) == "February 2019"
    assert [str(e.occurred) if e.occurred else None for e in case.events.all()] == ["December 2019", None]
    ruling = case.rulings.get()
    assert sorted(ruling.grounds.values_list("slug", flat=True)) == ["echr-3", "echr-6"]
    assurance = case.assurances.get()
    assert assurance.assessed_by == ruling
    assert assurance.promise_labels == ["no death penalty", "fair trial"]
    assert [c.locator for c in ruling.citations.all()] == ["p. 16, fn. 18"]
    wang_case = Case.objects.get(slug="th-wang-jianye")
    assert wang_case.requests.get().treaty.slug == "extradition-cn-th"
    assert wang_case.breaches.get().assurance == wang_case.assurances.get()
    assert Breach.objects.get(case=None).treaty.slug == "consular-cn-ca"
    person = Person.objects.get(slug="qiao-jianjun")
    assert list(person.affiliations.values_list("slug", flat=True)) == ["former-official"]
    assert Person.objects.public().filter(pk=person.pk).exists()
    assert InterpolNotice.objects.get().cases.get() == case
    assert ReportedFigure.objects.get().value_label == "83,966–113,407"
    assert Treaty.objects.get(slug="extradition-cn-th").steps.count() == 1


def test_loading_twice_changes_nothing(seed_dir):
    load(seed_dir)
    before = snapshot()
    history_before = Case.history.count() + Citation.history.count()
    load(seed_dir)
    assert snapshot() == before
    assert Case.history.count() + Citation.history.count() == history_before


def test_identifiers_survive_a_reload_into_an_empty_database(seed_dir):
    load(seed_dir)
    uids = snapshot()
    for model in (Citation, Breach, InterpolNotice, CourtRuling, Case, Person, Treaty):
        model.objects.all().delete()
    load(seed_dir)
    assert {k: [entry.split(",")[0] for entry in v] for k, v in snapshot().items()} == {
        k: [entry.split(",")[0] for entry in v] for k, v in uids.items()
    }


def test_edits_in_the_files_are_applied_and_vanished_children_removed(seed_dir):
    load(seed_dir)
    path = seed_dir / "cases.yaml"
    cases = yaml.safe_load(path.read_text())
    cases[0]["outcome"] = "pending"
    cases[0]["events"] = cases[0]["events"][:1]
    path.write_text(yaml.safe_dump(cases, allow_unicode=True))
    load(seed_dir)
    case = Case.objects.get(slug="se-qiao-jianjun-2019")
    assert case.outcome == "pending"
    assert case.events.count() == 1


def test_a_bad_record_loads_nothing_and_says_where(seed_dir):
    path = seed_dir / "cases.yaml"
    cases = yaml.safe_load(path.read_text())
    cases[1]["detentions"] = [{"person": "wang-jianye", "start": "2020-05", "end": "2019"}]
    path.write_text(yaml.safe_dump(cases, allow_unicode=True))
    with pytest.raises(CommandError, match=r"cases.yaml record 2 \(th-wang-jianye\).*ended_on cannot be before started_on"):
        load(seed_dir)
    assert not Person.objects.exists()
    assert not Case.objects.exists()


def test_an_unknown_reference_is_named(seed_dir):
    path = seed_dir / "notices.yaml"
    notices = yaml.safe_load(path.read_text())
    notices[0]["subject"] = "nobody"
    path.write_text(yaml.safe_dump(notices, allow_unicode=True))
    with pytest.raises(CommandError, match="no person with slug 'nobody'"):
        load(seed_dir)
