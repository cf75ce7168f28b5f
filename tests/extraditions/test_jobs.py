"""The job queue's log (extraditions/jobs.py): every job's life is written from the queue's own
signals, failures with their traceback, and administrators can see them and run a job again."""

import pytest
from django.urls import reverse
from huey.contrib.djhuey import db_task

from cases.models import Case
from extraditions.jobs import HUEY, Job, after_commit, logged_only_when_failing
from tests import factories as f

pytestmark = pytest.mark.django_db

CALLS = []


@db_task()
def remember(value):
    CALLS.append(value)
    return value


@db_task()
def fail_once_then_work(value):
    if not CALLS:
        CALLS.append("failed")
        raise ValueError(f"no {value} yet")
    CALLS.append(value)


@logged_only_when_failing
@db_task()
def check_quietly(fail: bool):
    if fail:
        raise RuntimeError("the sweep failed")


@pytest.fixture(autouse=True)
def no_calls():
    CALLS.clear()


def test_a_job_that_succeeds_is_logged_with_its_arguments():
    remember("a treaty")
    job = Job.objects.get(name__endswith="remember")
    assert job.status == Job.Status.SUCCEEDED and job.attempts == 1
    assert job.arguments == '{"args": ["a treaty"], "kwargs": {}}'
    assert job.started_at and job.finished_at


def test_a_failed_job_keeps_its_traceback_and_runs_again_from_the_workspace(admin_client):
    fail_once_then_work("ruling")
    job = Job.objects.get(name__endswith="fail_once_then_work")
    assert job.status == Job.Status.FAILED
    assert "ValueError: no ruling yet" in job.error

    changelist = reverse("admin:extraditions_job_changelist")
    assert "no ruling yet" in admin_client.get(changelist).content.decode()  # the last line of the error
    response = admin_client.post(changelist, {"action": "run_again", "_selected_action": [job.pk]}, follow=True)
    assert "1 job queued again." in response.content.decode()
    assert CALLS == ["failed", "ruling"]
    assert Job.objects.filter(name__endswith="fail_once_then_work", status=Job.Status.SUCCEEDED).count() == 1


def test_the_log_cannot_be_edited_by_hand(admin_client):
    remember("x")
    job = Job.objects.get()
    assert admin_client.get(reverse("admin:extraditions_job_add")).status_code == 403
    page = admin_client.get(reverse("admin:extraditions_job_change", args=[job.pk])).content.decode()
    assert 'name="_save"' not in page


def test_only_administrators_see_the_jobs(client, django_user_model):
    from django.contrib.auth.models import Group

    from tests.conftest import verify_second_factor

    editor = django_user_model.objects.create_user("editor", password="a long password 123", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    verify_second_factor(client, editor)
    assert client.get(reverse("admin:extraditions_job_changelist")).status_code == 403


def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        after_commit(remember, "rolled back")
    assert CALLS == [] and len(callbacks) == 1  # waits for the commit, which here never comes


def test_the_queue_keeps_jobs_while_no_worker_runs():
    """With the worker away (not immediate), a job waits in the queue's storage, logged as queued."""
    HUEY.immediate = False
    try:
        HUEY.flush()
        remember("later")
        assert CALLS == [] and len(HUEY) == 1
        assert Job.objects.get(name__endswith="remember").status == Job.Status.QUEUED
        waiting = HUEY.dequeue()
    finally:
        HUEY.flush()
        HUEY.immediate = True
    # What a worker does with it (in immediate mode, so that the job keeps the test's connection:
    # a worker's job closes its connections when it ends).
    HUEY.execute(waiting)
    assert CALLS == ["later"]
    assert Job.objects.get(name__endswith="remember").status == Job.Status.SUCCEEDED


def test_a_frequent_job_is_logged_only_when_it_fails():
    check_quietly(False)
    assert not Job.objects.exists()
    check_quietly(True)
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and "the sweep failed" in job.error


@pytest.mark.django_db(transaction=True)
def test_a_queue_that_cannot_be_reached_fails_no_committed_change(monkeypatch):
    """Redis down at the moment of a commit: the change stays saved and nothing is raised to the
    request that made it (the minute's sweep finds the change when the queue is back)."""

    def unreachable(task):
        raise ConnectionError("the queue is down")

    monkeypatch.setattr(HUEY, "enqueue", unreachable)
    case = f.CaseFactory()  # committed: the detection's enqueue fails
    after_commit(remember, "lost")  # outside a transaction: enqueued at once, and fails
    assert Case.objects.filter(pk=case.pk).exists() and CALLS == []
