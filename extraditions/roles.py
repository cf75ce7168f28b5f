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


# Saved searches hold e-mail addresses, personal data: editors and administrators manage them (and
# read the alerts sent and the events they come from); researchers and viewers see nothing of them.
ALERT_PERMISSIONS = (
    "view_subscription", "change_subscription", "delete_subscription", "view_alertmail", "view_recordevent",
)


def alert_permissions():
    return Permission.objects.filter(content_type__app_label="alerts", codename__in=ALERT_PERMISSIONS)


def role_permissions() -> dict[str, list[Permission]]:
    return {
        VIEWER: list(domain_permissions("view")),
        RESEARCHER: list(domain_permissions("view", "add", "change")),
        EDITOR: [*domain_permissions("view", "add", "change", "delete", "publish", "merge"), *alert_permissions()],
        ADMINISTRATOR: [
            *domain_permissions("view", "add", "change", "delete", "publish", "merge"),
            *alert_permissions(),
            *Permission.objects.filter(content_type__app_label__in=("auth", "otp_totp", "axes")),
            # Tokens, the log of restricted views (read-only in the workspace), the job queue's log.
            *Permission.objects.filter(
                content_type__app_label="extraditions", content_type__model__in=("apitoken", "restrictedrecordview", "job")
            ),
            # Every member of staff's webhooks and their deliveries (alerts/admin_webhooks.py).
            *Permission.objects.filter(content_type__app_label="alerts", content_type__model__in=("webhook", "webhookdelivery")),
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
    # An app's permissions are created after it migrates: set up again after each app whose
    # permissions the roles hand out, so that the last one leaves every group complete. It is
    # idempotent and quick.
    if sender.name in (*DOMAIN_APPS, "alerts", "extraditions"):
        setup_roles()


def is_administrator(user) -> bool:
    """Asked several times a request (the second-factor rule, the admin's permissions): looked up
    once per user object, which lives as long as its request."""
    known = getattr(user, "_is_administrator", None)
    if known is None:
        known = bool(user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists())
        user._is_administrator = known
    return known
