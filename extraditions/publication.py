"""The publication workflow's rules, shared by the admin and the API.

- What a record needs before the public may see it (:func:`publication_problems`): at least one
  citation, a summary, and for a person an editor's decision on visibility.
- Which changes only an editor may make (:func:`editor_only_changes`): publishing, unpublishing,
  lifting a restriction, deciding a person's visibility. Restricting is open to anyone who may
  edit the record, so that a researcher can protect someone at once.
"""

from __future__ import annotations

from django.db.models import Q

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
