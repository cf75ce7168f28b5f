"""API tokens: issued to a member of staff by an administrator, for a stated purpose and a limited
time; stored as a keyed hash only; revoked, never deleted (the list is the record of who was given
access, and the audit of restricted views refers to it).

A token reads ``xtr_`` and 43 random characters (256 bits). The database keeps its first
characters (``prefix``, to tell tokens apart in lists and in the audit) and its HMAC-SHA256 under
a key derived from ``SECRET_KEY`` (``digest``, unique, so a request's token is found by an indexed
lookup). Why this hash:

- the secret is random and long, so a fast hash gives nothing away to guessing; a slow one
  (PBKDF2, Argon2) would add tens of milliseconds to every API request and, being salted per
  token, could not be looked up by an indexed column;
- keyed, the hashes are useless without the key: a copy of the database or a backup bundle cannot
  even confirm a candidate token, and a restore next to another ``SECRET_KEY`` (a staging server)
  accepts none of them. Rotating ``SECRET_KEY`` therefore revokes every token, unless the old key
  stays in ``SECRET_KEY_FALLBACKS`` for a while: a token found under an old key is hashed again
  under the new one at its next use.

A request made with a token counts as having passed the second factor
(:func:`extraditions.visibility.is_staff_session`): the administrator who issued it passed their
own to do so. Issuing and revoking are :func:`issue_token` and :func:`revoke_tokens`, called by
the staff workspace (extraditions/admin.py) and ``manage.py create_api_token``; checking a token
is :func:`find_usable_token`, called by the API (extraditions/api/authentication.py).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

MARK = "xtr_"
PREFIX_LENGTH = len(MARK) + 8  # 8 of the 43 random characters: 208 bits stay secret
DEFAULT_DAYS = 90
MAX_DAYS = 365
# last_used_at is written at most this often per token: not a write on every request.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)
_KEY_SALT = "extraditions.tokens.ApiToken"  # so that this HMAC's key is used for nothing else


def token_digest(secret: str, key: str | None = None) -> str:
    """The keyed hash stored for ``secret``, under ``key`` (by default ``SECRET_KEY``)."""
    return salted_hmac(_KEY_SALT, secret, secret=key or settings.SECRET_KEY, algorithm="sha256").hexdigest()


def candidate_digests(secret: str) -> list[str]:
    """``secret``'s hash under the current key, then under each fallback key."""
    return [token_digest(secret, key) for key in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))]


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime.datetime | None = None):
        """Tokens a request may still authenticate with: not revoked, not expired, of active staff."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=now or timezone.now(), user__is_active=True, user__is_staff=True
        )


class ApiToken(models.Model):
    """A member of staff's credential for the API, known to the database by its keyed hash only."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, related_name="api_tokens",
        help_text="The member of staff whose rights the token carries.",
    )
    name = models.CharField(max_length=100, help_text="What it is for, e.g. “nightly import from the office server”.")
    prefix = models.CharField(
        max_length=16, editable=False, help_text="The token's first characters: to tell it apart, never enough to use it."
    )
    digest = models.CharField("keyed hash", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+",
        help_text="The administrator who issued it (empty for a token converted from the earlier, plain ones).",
    )
    expires_at = models.DateTimeField(db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False, help_text="To the minute.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        "auth.User", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name=""), name="extraditions_apitoken_has_a_name",
                violation_error_message="Say what the token is for.",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="extraditions_apitoken_expires_after_creation",
                violation_error_message="A token expires after it is issued.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.revoked_at is None and self.expires_at > now and self.user.is_active and self.user.is_staff
        )

    def record_use(self, secret: str, now: datetime.datetime) -> None:
        """Note the use, at most once a minute; hash again a token found under an old key."""
        changes = {}
        if self.last_used_at is None or now - self.last_used_at >= USE_RECORDED_EVERY:
            changes["last_used_at"] = now
        current = token_digest(secret)
        if self.digest != current:
            changes["digest"] = current
        if changes:
            type(self).objects.filter(pk=self.pk).update(**changes)
            for field, value in changes.items():
                setattr(self, field, value)


def issue_problems(user, name: str, days: int) -> dict[str, str]:
    """Why a token for ``user`` named ``name`` lasting ``days`` cannot be issued, per field."""
    problems = {}
    if not (user.is_active and user.is_staff):
        problems["user"] = f"{user} is not an active member of staff: tokens are for staff accounts only."
    if not name.strip():
        problems["name"] = "Say what the token is for."
    if not 1 <= days <= MAX_DAYS:
        problems["days"] = f"A token lasts from 1 to {MAX_DAYS} days."
    return problems


def issue_token(user, name: str, days: int = DEFAULT_DAYS, created_by=None) -> tuple[ApiToken, str]:
    """A new token for ``user``, valid for ``days``; returns it and its secret, which is not kept."""
    problems = issue_problems(user, name, days)
    if problems:
        raise ValidationError(problems)
    secret = MARK + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=secret[:PREFIX_LENGTH], digest=token_digest(secret),
        created_at=now, created_by=created_by, expires_at=now + datetime.timedelta(days=days),
    )
    return token, secret


def revoke_tokens(tokens, revoked_by) -> int:
    """Revoke ``tokens`` (a queryset) not revoked yet; returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=revoked_by)


def find_usable_token(secret: str) -> ApiToken | None:
    """The unexpired, unrevoked token of an active member of staff whose secret is ``secret``."""
    if not secret or len(secret) > 200:
        return None
    now = timezone.now()
    token = ApiToken.objects.select_related("user").filter(digest__in=candidate_digests(secret)).first()
    if token is None or not token.is_usable(now):
        return None
    token.record_use(secret, now)
    return token
