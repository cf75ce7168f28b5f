"""Abstract base models shared by the domain apps.

- :class:`BaseModel`: timestamps, a stable public identifier and change history on every record.
- :class:`CitableModel`: a record that sources can be cited for (``record.citations``).
- :class:`PublishableModel`: a record that can be shown to the public once published, unless
  restricted. Visibility is decided in one place, :meth:`VisibilityQuerySet.visible_to`.
"""

import uuid

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .partial_dates import normalise_partial_dates


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    RESTRICTED = "restricted", "Restricted"


def can_see_unpublished(user) -> bool:
    """Staff see drafts and restricted records; everybody else sees published public ones."""
    from .visibility import is_staff_session

    return is_staff_session(user)


class VisibilityQuerySet(models.QuerySet):
    """Filters records down to what a user may see.

    A model's ``visibility_paths`` names where its publication status lives: ``""`` for the
    record itself, ``"case"`` for a detention that is only as visible as its case, and so on.
    A path written ``"?person"`` may be empty (a nullable link): an empty link hides nothing.
    """

    def public(self):
        return self.filter(public_q(self.model))

    def visible_to(self, user):
        return self.all() if can_see_unpublished(user) else self.public()


def public_q(model, prefix: str = "") -> Q:
    """The condition for ``model``'s records the public may see; ``prefix`` reaches them through a relation."""
    condition = Q()
    for path in model.visibility_paths:
        optional = path.startswith("?")
        path = "__".join(part for part in (prefix, path.lstrip("?")) if part)
        lookup = f"{path}__" if path else ""
        published = Q(
            **{
                f"{lookup}publication_status": PublicationStatus.PUBLISHED,
                f"{lookup}visibility": Visibility.PUBLIC,
            }
        )
        condition &= (Q(**{f"{path}__isnull": True}) | published) if optional else published
    # A model may hide more from the public than its publication status says (e.g. the other names
    # of a pseudonymous person). Such a condition is written from the model itself.
    extra = getattr(model, "public_condition", None)
    if extra is not None:
        if prefix:
            raise ValueError(f"{model.__name__}.public_condition cannot be reached through a relation")
        condition &= extra
    return condition


class BaseModel(models.Model):
    """Timestamps, a stable identifier and history for every record."""

    uid = models.UUIDField(
        "stable identifier",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Survives reloads of the dataset; used in public URLs.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(inherit=True)

    objects = VisibilityQuerySet.as_manager()

    # Where this record's publication status lives; see VisibilityQuerySet.
    visibility_paths: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def public_label(self) -> str:
        """The record's name wherever the public may read it (a person overrides it)."""
        return str(self)

    def save(self, *args, **kwargs):
        normalise_partial_dates(self)
        super().save(*args, **kwargs)


class CitableModel(BaseModel):
    """A record whose facts are backed by citations of sources."""

    citations = GenericRelation("sources.Citation")

    class Meta:
        abstract = True


class PublishableModel(CitableModel):
    """A record the public may see once it is published and not restricted."""

    publication_status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        db_index=True,
        help_text="Restricted records are never shown outside the staff workspace.",
    )

    visibility_paths = ("",)

    class Meta:
        abstract = True
        # "publish" covers publishing, unpublishing and restricting: an editor's job, not a researcher's.
        default_permissions = ("add", "change", "delete", "view", "publish")

    @property
    def is_public(self) -> bool:
        return self.publication_status == PublicationStatus.PUBLISHED and self.visibility == Visibility.PUBLIC


from .search.models import SearchDocument  # noqa: E402,F401  (the app's concrete model lives with the search code)


class RestrictedRecordView(models.Model):
    """A member of staff opened a restricted record: who, when, which record, where.

    Written for every view of a restricted record's page in the staff workspace and every API
    request for one (see extraditions/audit.py); read-only in the workspace, for administrators.
    """

    class Channel(models.TextChoices):
        ADMIN = "admin", "Staff workspace"
        API = "api", "API"

    user = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="restricted_views")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record_label = models.CharField(max_length=300, help_text="The record as it was named when viewed.")
    channel = models.CharField(max_length=5, choices=Channel.choices)
    path = models.CharField(max_length=500)
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.user} viewed {self.record_label} ({self.viewed_at:%Y-%m-%d %H:%M})"
