"""The publication workflow: one service, with the admin's form and actions and the API's
serializer as thin adapters over it.

- What a record needs before the public may see it (:func:`publication_problems`): at least one
  citation, a summary, and for a person an editor's decision on visibility.
- Which changes only an editor may make (:func:`editor_only_changes`): publishing, unpublishing,
  lifting a restriction, deciding a person's visibility. Restricting is open to anyone who may
  edit the record, so that a researcher can protect someone at once.
- :func:`transition_errors`: both checks at once, for a record about to be saved, by field.
- :func:`transition`: a change of status or visibility (the admin's bulk actions): permission,
  readiness, ``full_clean`` and save, in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CitableModel, PublicationStatus, Visibility


def publication_problems(record) -> list[str]:
    """What ``record`` lacks to be published, in words an editor acts on; empty when it may be."""
    problems = []
    if getattr(record, "publish_needs_citation", True) and isinstance(record, CitableModel) and not record.citations.exists():
        problems.append("at least one citation of a source")
    summary_field = getattr(record, "publish_needs_summary", None)
    if summary_field and not (getattr(record, summary_field) or "").strip():
        problems.append(f"a {record._meta.get_field(summary_field).verbose_name}")
    if hasattr(record, "visibility_decided") and not record.visibility_decided:
        problems.append("an editor's decision on visibility (public or restricted)")
    return problems


def editor_only_changes(before: dict, after: dict) -> dict[str, str]:
    """The changes from ``before`` to ``after`` (field values) that take the "publish" permission."""
    needs_editor = {}
    status_before, status = before.get("publication_status"), after.get("publication_status")
    if status != status_before and PublicationStatus.PUBLISHED in (status, status_before):
        needs_editor["publication_status"] = "Only an editor may publish or unpublish a record."
    if before.get("visibility") == Visibility.RESTRICTED and after.get("visibility") == Visibility.PUBLIC:
        needs_editor["visibility"] = "Only an editor may lift a restriction."
    if before.get("visibility_decided") != after.get("visibility_decided"):
        needs_editor["visibility_decided"] = "Only an editor decides whether a person may be public."
    return needs_editor


def publish_permission(model) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


PUBLICATION_FIELDS = ("publication_status", "visibility", "visibility_decided")


def publication_state(record_or_model, values: dict | None = None) -> dict:
    """The publication fields of a record (or a new record's defaults), with ``values`` over them."""
    model = record_or_model if isinstance(record_or_model, type) else type(record_or_model)
    fields = [name for name in PUBLICATION_FIELDS if hasattr(model, name)]
    if isinstance(record_or_model, type):
        state = {name: model._meta.get_field(name).get_default() for name in fields}
    else:
        state = {name: getattr(record_or_model, name) for name in fields}
    return {**state, **{name: value for name, value in (values or {}).items() if name in fields}}


def refused_to(user, model, before: dict, after: dict) -> dict[str, str]:
    """The editor-only changes from ``before`` to ``after`` of a ``model`` record that ``user`` may not make."""
    if user is not None and user.has_perm(publish_permission(model)):
        return {}
    return editor_only_changes(before, after)


def not_ready(before: dict, record) -> dict[str, str]:
    """When ``record`` is being published: what it lacks, by field."""
    after = publication_state(record)
    if after.get("publication_status") == PublicationStatus.PUBLISHED != before.get("publication_status"):
        problems = publication_problems(record)
        if problems:
            return {"publication_status": f"Not ready to publish: needs {', '.join(problems)}."}
    return {}


def transition_errors(before: dict, record, user) -> dict[str, str]:
    """What stops ``user`` from saving ``record`` (as it would be saved) when its publication
    fields were ``before``: editor-only changes without the permission, else what a record being
    published lacks. Keyed by field; empty when the save may go ahead."""
    return refused_to(user, type(record), before, publication_state(record)) or not_ready(before, record)


class TransitionRefused(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def transition(record, user, **values) -> None:
    """Change ``record``'s publication fields as ``user``: checked, validated and saved in one
    transaction (history records who); raises :class:`TransitionRefused` with the reasons."""
    with transaction.atomic():
        before = publication_state(record)
        for name, value in values.items():
            setattr(record, name, value)
        errors = transition_errors(before, record, user)
        if errors:
            for name, value in before.items():
                setattr(record, name, value)
            raise TransitionRefused(errors)
        try:
            record.full_clean()
        except ValidationError as error:
            raise TransitionRefused({"__all__": "; ".join(error.messages)}) from error
        record.save(update_fields=[*values, "updated_at"])
