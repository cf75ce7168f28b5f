"""Pending changes: what the public sees changes only when an editor approves it.

Any write by a member of staff who may not publish (a researcher) runs as usual — the admin's
forms and inlines, the API, imports, merges — but inside a transaction whose every row written is
recorded (:class:`ChangeRecorder`). At the end of the request, if a row the public could see
before, or can see after, was written, the whole write is rolled back and kept as a
:class:`PendingChange`: the rows as they were and as they would be. The public keeps seeing the
approved version; an editor reads the difference and approves (the rows are written, in one
transaction, by the editor) or rejects it.

Writes that touch nothing public (drafts, records in review, restricted ones) apply at once, and
so does one exception: restricting a record the public sees, so that a researcher can protect
someone without waiting (its other changes are then hidden with it).

The rule is judged on the database rows, after the write, with the same visibility condition the
public's pages use (``visibility.public_records``), so no field or link can change the public's
view unnoticed: a child added to a published case, a pseudonym flag cleared, an alias's kind
changed, a ruling moved from a hidden case to a public one.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from .serialization import LosslessJSONEncoder
from .visibility import is_staff_session, public_records

DOMAIN_APPS = ("cases", "treaties", "sources")


def recorded_model(model) -> bool:
    """The records a pending change holds: the domain's own, not what is derived from them."""
    from .models import BaseModel

    return model._meta.app_label in DOMAIN_APPS and issubclass(model, BaseModel) and not model._meta.auto_created


def publishable_models() -> list[type]:
    from .models import PublishableModel

    return [m for m in apps.get_models() if issubclass(m, PublishableModel) and m._meta.app_label in DOMAIN_APPS]


def approval_permissions(rows: list[dict] | None = None) -> set[str]:
    """The "publish" permissions that let a user change what the public sees of ``rows``: for each
    row, that of its own kind if it is publishable, else of the kinds its visibility comes from; for
    reference data (no visibility of its own) or without rows, those of every publishable kind."""
    from .publication import publish_permission

    everything = {publish_permission(m) for m in publishable_models()}
    if rows is None:
        return everything
    needed = set()
    for row in rows:
        model = apps.get_model(row["model"])
        owners = []
        for path in model.visibility_paths:
            owner = model
            for part in [p for p in path.lstrip("?").split("__") if p]:
                owner = owner._meta.get_field(part).related_model
            owners.append(owner)
        if not owners:
            return everything
        needed |= {publish_permission(owner) for owner in owners}
    return needed


def may_change_public_view(user, rows: list[dict] | None = None) -> bool:
    """Editors (the "publish" permission, see :func:`approval_permissions`) change the public's view themselves."""
    return is_staff_session(user) and user.has_perms(approval_permissions(rows))


def row_state(obj) -> dict:
    """A row as Django's serializer writes it (fields, many-to-many ids): JSON, and loadable again."""
    return json.loads(serializers.serialize("json", [obj], cls=LosslessJSONEncoder))[0]


def is_public_row(model, pk) -> bool:
    return public_records(model._default_manager.filter(pk=pk)).exists()


@dataclass
class RowChange:
    model: type
    pk: int
    before: dict | None = None  # None: created by this write
    public_before: bool = False
    deleted: bool = False
    order: int = 0


@dataclass
class ChangeRecorder:
    """Records every domain row written while it listens."""

    rows: dict[tuple, RowChange] = field(default_factory=dict)

    def _row(self, model, pk, *, existing: bool) -> RowChange:
        key = (model._meta.label, pk)
        if key not in self.rows:
            change = RowChange(model, pk, order=len(self.rows))
            if existing:
                current = model._default_manager.filter(pk=pk).first()
                change.before = row_state(current) if current is not None else None
                change.public_before = current is not None and is_public_row(model, pk)
            self.rows[key] = change
        return self.rows[key]

    def pre_save(self, sender, instance, raw=False, **kwargs):
        if recorded_model(sender) and not raw and instance.pk is not None:
            self._row(sender, instance.pk, existing=True)

    def post_save(self, sender, instance, created, raw=False, **kwargs):
        if recorded_model(sender) and not raw:
            self._row(sender, instance.pk, existing=not created)

    def pre_delete(self, sender, instance, **kwargs):
        if recorded_model(sender):
            self._row(sender, instance.pk, existing=True)

    def post_delete(self, sender, instance, **kwargs):
        if recorded_model(sender):
            self._row(sender, instance.pk, existing=True).deleted = True

    def m2m_changed(self, sender, instance, action, model, pk_set, **kwargs):
        if not action.startswith("pre_"):
            return
        if recorded_model(type(instance)):
            self._row(type(instance), instance.pk, existing=True)
        if recorded_model(model):
            for pk in pk_set or ():
                self._row(model, pk, existing=True)

    @contextmanager
    def listening(self):
        """Record the writes of this request only: the signals are global, the recorder is not
        (a context variable, so that concurrent requests in other threads are not mixed in)."""
        token = _active_recorder.set(self)
        try:
            yield self
        finally:
            _active_recorder.reset(token)

    # --- after the write -------------------------------------------------------------------------

    def settle(self) -> list[dict]:
        """The rows written, each with its state before and after and whether the public sees it."""
        settled = []
        for change in sorted(self.rows.values(), key=lambda c: c.order):
            current = None if change.deleted else change.model._default_manager.filter(pk=change.pk).first()
            after = row_state(current) if current is not None else None
            if after == change.before:
                continue
            settled.append({
                "model": change.model._meta.label_lower,
                "pk": change.pk,
                "before": change.before,
                "after": after,
                "public_before": change.public_before,
                "public_after": current is not None and is_public_row(change.model, change.pk),
            })
        return settled


_active_recorder: ContextVar[ChangeRecorder | None] = ContextVar("change_recorder", default=None)


def _dispatch(method: str):
    def handler(sender, **kwargs):
        recorder = _active_recorder.get()
        if recorder is not None:
            getattr(recorder, method)(sender, **kwargs)

    return handler


for _signal, _method in (
    (pre_save, "pre_save"), (post_save, "post_save"), (pre_delete, "pre_delete"), (post_delete, "post_delete"),
    (m2m_changed, "m2m_changed"),
):
    _signal.connect(_dispatch(_method), weak=False, dispatch_uid=f"change-recorder-{_method}")


def needs_approval(rows: list[dict]) -> bool:
    """Whether these rows change what the public sees (beyond hiding a record by restricting it)."""
    from .models import Visibility

    if any(row["public_after"] for row in rows):
        return True
    for row in rows:
        if row["public_before"]:
            after = (row["after"] or {}).get("fields", {})
            if after.get("visibility") != Visibility.RESTRICTED:
                return True
    return False


class ChangeHeld(Exception):
    """Raised inside the write's transaction to roll it back once it has been kept for approval."""


def describe(rows: list[dict]) -> str:
    verbs = {(True, True): "changed", (False, True): "added", (True, False): "deleted"}
    parts = []
    for row in rows:
        verb = verbs.get((row["before"] is not None, row["after"] is not None), "changed")
        parts.append(f"{apps.get_model(row['model'])._meta.verbose_name} {verb}")
    return "; ".join(parts)[:300]


class PendingChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for an editor"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class StaleChange(Exception):
    """The records changed since the pending change was made: it cannot be applied as it is."""


class PendingChange(models.Model):
    """A write that would change what the public sees, kept until an editor approves or rejects it."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pending_changes")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    summary = models.CharField(max_length=300)
    rows = models.JSONField(help_text="Each row written: its model, id, state before and after.")
    status = models.CharField(
        max_length=10, choices=PendingChangeStatus.choices, default=PendingChangeStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="pending_changes_decided"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=PendingChangeStatus.PENDING, decided_at__isnull=True)
                | ~models.Q(status=PendingChangeStatus.PENDING) & models.Q(decided_at__isnull=False),
                name="extraditions_pendingchange_decided_when_not_pending",
            )
        ]

    def __str__(self):
        return f"{self.summary} — {self.author} ({self.created_at:%Y-%m-%d %H:%M})"

    def differences(self) -> list[dict]:
        """Per row, the fields that differ: what an editor reads before deciding."""
        result = []
        for row in self.rows:
            before = (row["before"] or {}).get("fields", {})
            after = (row["after"] or {}).get("fields", {})
            model = apps.get_model(row["model"])
            fields = [
                {"field": name, "before": before.get(name), "after": after.get(name)}
                for name in sorted(set(before) | set(after))
                if before.get(name) != after.get(name) and name not in ("updated_at", "created_at")
            ]
            action = "add" if row["before"] is None else "delete" if row["after"] is None else "change"
            result.append({"model": model._meta.verbose_name, "id": row["pk"], "action": action, "fields": fields})
        return result

    # --- the editor's decision -----------------------------------------------------------------------

    def approve(self, editor, note: str = "") -> None:
        """Write the rows as the author meant them, in one transaction; refuse if they changed since."""
        with self._deciding(editor):
            created_ids: dict[tuple[str, int], int] = {}
            for row in self.rows:
                self._apply(row, created_ids)
            self._decide(PendingChangeStatus.APPROVED, editor, note)

    def reject(self, editor, note: str = "") -> None:
        with self._deciding(editor):
            self._decide(PendingChangeStatus.REJECTED, editor, note)

    @contextmanager
    def _deciding(self, editor):
        """One decision at a time, by an editor, on a change still pending."""
        self._check_decider(editor)
        with transaction.atomic():
            locked = PendingChange.objects.select_for_update().get(pk=self.pk)
            if locked.status != PendingChangeStatus.PENDING:
                raise StaleChange("This change has already been decided.")
            yield

    def _check_decider(self, editor) -> None:
        from django.core.exceptions import PermissionDenied

        if not may_change_public_view(editor, self.rows):
            raise PermissionDenied("Only an editor may approve or reject a change to what the public sees.")

    def _decide(self, status, editor, note) -> None:
        self.status, self.decided_by, self.decided_at, self.decision_note = status, editor, timezone.now(), note
        self.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])

    @staticmethod
    def _apply(row: dict, created_ids: dict) -> None:
        model = apps.get_model(row["model"])
        current = model._default_manager.filter(pk=row["pk"]).first()
        if row["before"] is not None and (
            current is None or _comparable(row_state(current)) != _comparable(row["before"])
        ):
            raise StaleChange(
                f"The {model._meta.verbose_name} (id {row['pk']}) has changed since this change was made: "
                "reject it and make the change again on the current version."
            )
        if row["after"] is None:
            if current is not None:
                current.delete()
            return
        state = _remapped(row["after"], created_ids)
        if row["before"] is None:
            state = {**state, "pk": None}
        (deserialized,) = serializers.deserialize("json", json.dumps([state]))
        obj = deserialized.object
        if row["before"] is None:
            obj.pk = None
        obj._state.adding = row["before"] is None  # an update's uniqueness checks leave the row itself out
        obj.full_clean()
        obj.save()
        for name, values in (deserialized.m2m_data or {}).items():
            getattr(obj, name).set(values)
        if row["before"] is None:
            created_ids[(row["model"], row["pk"])] = obj.pk


def _comparable(state: dict) -> dict:
    fields = {k: v for k, v in state.get("fields", {}).items() if k not in ("updated_at",)}
    return {"pk": state.get("pk"), "fields": fields}


def _remapped(state: dict, created_ids: dict) -> dict:
    """A row's state with links to rows created earlier in the same change pointing at their new ids."""
    if not created_ids:
        return state
    model = apps.get_model(state["model"])
    fields = dict(state["fields"])
    for f in model._meta.concrete_fields:
        if f.is_relation and f.name in fields and fields[f.name] is not None:
            key = (f.related_model._meta.label_lower, fields[f.name])
            if key in created_ids:
                fields[f.name] = created_ids[key]
    # A generic link (a citation of a record created in the same change).
    if "content_type" in fields and "object_id" in fields:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.filter(pk=fields["content_type"]).first()
        if content_type is not None:
            key = (f"{content_type.app_label}.{content_type.model}", fields["object_id"])
            if key in created_ids:
                fields["object_id"] = created_ids[key]
    return {**state, "fields": fields}


class HoldPublicChangesMiddleware:
    """Every write request is recorded and judged at the end, as the user it authenticated.

    The API authenticates inside the view, so the user is known for certain only once the view has
    run; an editor's write simply commits.
    """

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE_METHODS or may_change_public_view(getattr(request, "user", None)):
            # An editor logged in to the workspace writes directly: nothing to record. (A token's
            # user is known only inside the view: such a write is recorded and judged at the end.)
            return self.get_response(request)
        recorder = ChangeRecorder()
        response = None
        rows: list[dict] = []
        try:
            with transaction.atomic(), recorder.listening():
                response = self.get_response(request)
                user = getattr(request, "user", None)
                if response.status_code < 400 and is_staff_session(user):
                    rows = recorder.settle()
                    if needs_approval(rows) and not may_change_public_view(user, rows):
                        raise ChangeHeld
        except ChangeHeld:
            pending = PendingChange.objects.create(author=request.user, summary=describe(rows), rows=rows)
            return held_response(request, response, pending)
        return response


def held_response(request, response, pending: PendingChange):
    """Tell the author the change waits for an editor: a 202 in the API, a message in the workspace."""
    from django.contrib import messages
    from django.http import JsonResponse

    text = (
        f"Your change ({pending.summary}) changes what the public sees, so it waits for an editor's approval "
        f"(pending change {pending.pk}). The public still sees the approved version."
    )
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"status": "pending", "detail": text, "pending_change": request.build_absolute_uri(
                f"/api/v1/pending-changes/{pending.pk}/")},
            status=202,
        )
    storage = messages.get_messages(request)
    storage._queued_messages = [m for m in storage._queued_messages if m.level >= messages.WARNING]
    messages.warning(request, text)
    return response
