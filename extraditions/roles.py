"""The staff roles, as Django groups, and what each may do.

- **researcher**: enters and edits records (drafts), submits them for review; can restrict a record
  to protect someone, but not publish, unpublish, lift a restriction, delete or merge.
- **editor**: a researcher who also reviews: publishes, unpublishes, restricts and lifts
  restrictions, deletes, merges duplicate persons.
- **viewer**: reads everything, restricted records included (e.g. a lawyer working with the NGO).
- **administrator**: everything, including staff accounts and their API tokens.

The groups and their permissions are (re)created after every ``migrate`` and by
``manage.py setup_roles``; a user also needs "staff status" to log in to the workspace.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

DOMAIN_APPS = ("cases", "treaties", "sources")
# Derived data, never edited by hand.
DERIVED_MODELS = ("personname",)

RESEARCHER, EDITOR, VIEWER, ADMINISTRATOR = "researcher", "editor", "viewer", "administrator"


def domain_permissions(*actions: str):
    condition = Q()
    for action in actions:
        condition |= Q(codename__startswith=f"{action}_")
    return (
        Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS)
        .filter(condition)
        .exclude(content_type__model__in=DERIVED_MODELS)
        .exclude(content_type__model__startswith="historical")
    )


def role_permissions() -> dict[str, list[Permission]]:
    return {
        VIEWER: list(domain_permissions("view")),
        RESEARCHER: list(domain_permissions("view", "add", "change")),
        EDITOR: list(domain_permissions("view", "add", "change", "delete", "publish", "merge")),
        ADMINISTRATOR: [
            *domain_permissions("view", "add", "change", "delete", "publish", "merge"),
            *Permission.objects.filter(content_type__app_label__in=("auth", "otp_totp", "axes")),
            # Tokens, and the log of restricted views (read-only in the workspace).
            *Permission.objects.filter(
                content_type__app_label="extraditions", content_type__model__in=("apitoken", "restrictedrecordview")
            ),
        ],
    }


def setup_roles() -> dict[str, int]:
    """Create the groups and give each exactly its permissions; returns how many each has."""
    counts = {}
    for name, permissions in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts


def setup_roles_after_migrate(sender, **kwargs):
    # An app's permissions are created after it migrates: set up again after each domain app,
    # so that the last one leaves every group complete. It is idempotent and quick.
    if sender.name in DOMAIN_APPS:
        setup_roles()


def is_administrator(user) -> bool:
    """Asked several times a request (the second-factor rule, the admin's permissions): looked up
    once per user object, which lives as long as its request."""
    known = getattr(user, "_is_administrator", None)
    if known is None:
        known = bool(user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())
        user._is_administrator = known
    return known
