"""The job queue: work that must not run inside a request (mail, webhook calls, bulk downloads,
figures) runs in a worker, ``manage.py run_huey``.

The queue is `huey <https://huey.readthedocs.io/>`_ (settings ``HUEY``, built from
``JOB_QUEUE_URL``): an SQLite file by default, so that ``make run`` needs no server; Redis in
production. Huey brings what a queue needs and a hand-written one would get wrong: a worker pool,
retries with back-off, jobs scheduled for later, periodic jobs (the daily and weekly digests),
locks, and a queue that outlives the worker (a stopped worker loses nothing: its jobs wait).

Every job's life is written to :class:`Job` (queued, running, succeeded, failed with its
traceback, retried, how many attempts) from huey's signals, so that administrators see the queue
and its failures in the workspace and can run a failed job again.

Jobs are enqueued with :func:`after_commit`: a job enqueued inside a transaction that is then
rolled back must not run, and one that reads what the transaction wrote must not run before it
is visible. Every job here is idempotent: run twice, it does its work once.
"""

from __future__ import annotations

import datetime
import json
import logging
import traceback

from django.db import DatabaseError, models, transaction
from django.utils import timezone
from huey import crontab, signals
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task  # noqa: F401  (the decorators jobs use)

logger = logging.getLogger(__name__)

KEPT_FOR = datetime.timedelta(days=30)  # how long a finished job stays in the log


class Job(models.Model):
    """One job of the queue, as the workspace shows it: written from the queue's signals."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SCHEDULED = "scheduled", "Scheduled for later"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        RETRYING = "retrying", "Failed, will be retried"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (another run held its lock)"
        REVOKED = "revoked", "Cancelled"

    task_id = models.CharField(max_length=64, unique=True, help_text="The queue's identifier of the job.")
    name = models.CharField(max_length=200, db_index=True, help_text="The job's function.")
    arguments = models.TextField(blank=True, help_text="The job's arguments, as JSON.")
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="The last failure's traceback.")

    class Meta:
        ordering = ["-enqueued_at"]
        indexes = [models.Index(fields=["status", "-enqueued_at"], name="job_status_recent")]

    def __str__(self):
        return f"{self.short_name} ({self.get_status_display().lower()})"

    @property
    def short_name(self) -> str:
        return self.name.rpartition(".")[2]

    def run_again(self) -> None:
        """Enqueue a new run of this job with the same arguments (a failed job, once fixed)."""
        task_class = HUEY._registry.string_to_task(self.name)
        arguments = json.loads(self.arguments or "{}")
        HUEY.enqueue(task_class(args=tuple(arguments.get("args", ())), kwargs=arguments.get("kwargs") or {}))


def after_commit(job, *args, **kwargs) -> None:
    """Enqueue ``job(*args, **kwargs)`` once the current transaction commits (at once outside one).
    A queue that cannot be reached then is logged, not raised: what was committed stays committed,
    and the request that made it does not fail after the fact."""
    transaction.on_commit(lambda: job(*args, **kwargs), robust=True)


def _arguments(task) -> str:
    try:
        return json.dumps({"args": list(task.args or ()), "kwargs": task.kwargs or {}}, default=str)[:2000]
    except TypeError:
        return ""


STATUS_OF_SIGNAL = {
    signals.SIGNAL_ENQUEUED: Job.Status.QUEUED,
    signals.SIGNAL_SCHEDULED: Job.Status.SCHEDULED,
    signals.SIGNAL_EXECUTING: Job.Status.RUNNING,
    signals.SIGNAL_COMPLETE: Job.Status.SUCCEEDED,
    signals.SIGNAL_RETRYING: Job.Status.RETRYING,
    signals.SIGNAL_ERROR: Job.Status.FAILED,
    signals.SIGNAL_LOCKED: Job.Status.SKIPPED,
    signals.SIGNAL_REVOKED: Job.Status.REVOKED,
    signals.SIGNAL_CANCELED: Job.Status.REVOKED,
    signals.SIGNAL_EXPIRED: Job.Status.REVOKED,
    signals.SIGNAL_INTERRUPTED: Job.Status.FAILED,
    signals.SIGNAL_TIMEOUT: Job.Status.FAILED,
}


# Jobs logged only when they fail: a sweep every minute would otherwise fill the log with successes.
LOGGED_ONLY_WHEN_FAILING: set[str] = set()


def logged_only_when_failing(task):
    """Decorator, over a job: its runs are logged only when they fail."""
    LOGGED_ONLY_WHEN_FAILING.add(HUEY._registry.task_to_string(task.task_class))
    return task


def record_job(signal, task, exc=None):
    """Huey's signal receiver: the job's row, as it now stands. Never lets the job fail for it."""
    status = STATUS_OF_SIGNAL.get(signal)
    if status is None:
        return
    if exc is None and HUEY._registry.task_to_string(type(task)) in LOGGED_ONLY_WHEN_FAILING:
        return
    now = timezone.now()
    changes: dict = {"status": status}
    if signal == signals.SIGNAL_EXECUTING:
        changes |= {"started_at": now, "attempts": models.F("attempts") + 1}
    elif status in (Job.Status.SUCCEEDED, Job.Status.FAILED, Job.Status.SKIPPED, Job.Status.REVOKED):
        changes["finished_at"] = now
    if exc is not None:
        changes["error"] = "".join(traceback.format_exception(exc))[-20000:]
    try:
        # "Enqueued" only ever makes the row: a worker may have picked the job up (and written
        # "running") before the process that enqueued it got here.
        updated = signal != signals.SIGNAL_ENQUEUED and Job.objects.filter(task_id=task.id).update(**changes)
        if not updated:
            defaults = {key: value for key, value in changes.items() if key != "attempts"}
            if signal == signals.SIGNAL_EXECUTING:
                defaults["attempts"] = 1
            Job.objects.get_or_create(
                task_id=task.id,
                defaults={"name": HUEY._registry.task_to_string(type(task)), "arguments": _arguments(task), **defaults},
            )
    except DatabaseError as error:  # e.g. during `migrate`, before the log's table exists
        logger.warning("could not record job %s (%s): %s", task.id, signal, error)
    except Exception:  # the log is for people; a job must not fail because it could not be logged
        logger.exception("could not record job %s (%s)", task.id, signal)


HUEY.signal()(record_job)


@db_periodic_task(crontab(minute="17", hour="3"))
def forget_old_jobs() -> int:
    """Every night: finished jobs older than 30 days leave the log."""
    deleted, _ = Job.objects.filter(finished_at__lt=timezone.now() - KEPT_FOR).delete()
    return deleted
