"""INTERPOL Red Notices and Diffusions issued at China's request."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from extraditions.choices import ChineseParty
from extraditions.indexes import contains_search_index, public_list_index
from extraditions.models import PublishableModel
from extraditions.partial_dates import (
    PartialDateProperty,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
)


class NoticeKind(models.TextChoices):
    RED_NOTICE = "red_notice", "Red Notice"
    DIFFUSION = "diffusion", "Diffusion"


class NoticeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CANCELLED = "cancelled", "Cancelled"
    UNKNOWN = "unknown", "Unknown"


class CancellationReason(models.TextChoices):
    CONSTITUTION_ARTS_2_3 = "constitution_art_2_3", "Non-compliant with INTERPOL's Constitution (arts. 2/3)"
    REFUGEE_STATUS = "refugee_status", "Refugee or asylum status"
    WITHDRAWN = "withdrawn", "Withdrawn by the requesting bureau"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class InterpolNotice(PublishableModel):
    """A Red Notice or Diffusion; the subject may be unnamed."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    kind = models.CharField(
        max_length=12, choices=NoticeKind.choices, db_index=True, help_text="A Red Notice or a Diffusion."
    )
    subject = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="notices",
        help_text="The person sought; empty for an unnamed one (see subject_description).",
    )
    subject_description = models.CharField(
        max_length=300, blank=True, help_text="Who is sought, when the subject is not named."
    )
    requesting_bureau = models.CharField(
        max_length=5, choices=ChineseParty.choices, default=ChineseParty.PRC,
        help_text="Whose INTERPOL bureau asked for the notice.",
    )
    issued_on, issued_on_precision = partial_date_fields("issued", help_text="When the notice was issued.")
    is_public = models.BooleanField(
        "published by INTERPOL", null=True, blank=True,
        help_text="Whether INTERPOL published the notice; null when not known.",
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.UNKNOWN, db_index=True,
        help_text="The notice's status as last known.",
    )
    cancelled_on, cancelled_on_precision = partial_date_fields(
        "cancelled", help_text="When the notice was cancelled; only a cancelled notice has one."
    )
    cancellation_reason = models.CharField(
        max_length=25, choices=CancellationReason.choices, blank=True,
        help_text="Why the notice was cancelled; only a cancelled notice has a reason.",
    )
    cases = models.ManyToManyField(
        "Case", blank=True, related_name="notices", help_text="The cases the notice was issued in."
    )
    notes = models.TextField(blank=True, help_text="Notes in our own words.")

    issued = PartialDateProperty("issued_on")
    cancelled = PartialDateProperty("cancelled_on")

    visibility_paths = ("", "?subject")
    visibility_waivers = {"cases": "the cases it was issued in, listed only when each case is visible"}

    class Meta(PublishableModel.Meta):
        verbose_name = "INTERPOL notice"
        ordering = ["-issued_on", "pk"]
        indexes = [
            models.Index(F("issued_on").desc(), name="cases_notice_issued"),  # the staff list
            public_list_index("issued_on", descending=True, name="cases_notice_public_issued"),
            *contains_search_index("ipn", "subject_description", "notes"),  # "ipn": INTERPOL notice
        ]
        constraints = [
            partial_date_constraint("issued_on"),
            partial_date_constraint("cancelled_on"),
            date_order_constraint("issued_on", "cancelled_on"),
            models.CheckConstraint(
                condition=Q(status=NoticeStatus.CANCELLED) | Q(cancelled_on__isnull=True, cancellation_reason=""),
                name="cases_notice_cancellation_only_when_cancelled",
                violation_error_message="Only a cancelled notice has a cancellation date or reason.",
            ),
            models.CheckConstraint(
                condition=Q(subject__isnull=False) | ~Q(subject_description=""),
                name="cases_notice_has_subject",
                violation_error_message="Name the subject, or describe an unnamed one.",
            ),
        ]

    def __str__(self):
        who = self.subject.name if self.subject_id else self.subject_description
        return f"{self.get_kind_display()}: {who} ({self.issued or 'undated'})"

    def get_absolute_url(self):
        return reverse("site:notice-detail", args=[self.uid])
