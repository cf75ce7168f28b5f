"""Bilateral agreements between the PRC (or the Hong Kong SAR) and other countries."""

import datetime

from django.db import models
from django.db.models import Q, Value
from django.urls import reverse
from django.utils import timezone

from extraditions.choices import ChineseParty
from extraditions.fields import CountryField
from extraditions.models import CitableModel, PublishableModel, VisibilityQuerySet
from extraditions.partial_dates import (
    PartialDateProperty,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
)

from .status import (
    EVIDENCE_FIELDS,
    EvidenceBasis,
    StatusEvidence,
    TreatyStatus,
    describe_status,
    status_evidence,
    treaty_status_expression,
    treaty_status_on,
)


class TreatyKind(models.TextChoices):
    EXTRADITION = "extradition", "Extradition"
    MUTUAL_LEGAL_ASSISTANCE = "mutual_legal_assistance", "Mutual legal assistance in criminal matters"
    CONSULAR = "consular", "Consular agreement"
    SENTENCED_PERSONS_TRANSFER = "sentenced_persons_transfer", "Transfer of sentenced persons"
    LAW_ENFORCEMENT_COOPERATION = "law_enforcement_cooperation", "Law-enforcement or supervision cooperation"


class TreatyQuerySet(VisibilityQuerySet):
    def with_status(self, on: datetime.date | None = None):
        """Annotate ``status`` as of ``on`` (default: today), and that date as ``status_date``."""
        on = on or timezone.localdate()
        return self.annotate(status=treaty_status_expression(on), status_date=Value(on, output_field=models.DateField()))

    def status_on(self, status: str, on: datetime.date | None = None):
        return self.with_status(on).filter(status=status)

    def in_force(self, on: datetime.date | None = None):
        return self.status_on(TreatyStatus.IN_FORCE, on)

    def signed_not_in_force(self, on: datetime.date | None = None):
        return self.status_on(TreatyStatus.SIGNED, on)


# The steps that must come on or after signature.
STEPS_AFTER_SIGNATURE = (
    "known_signed_by", "china_approved_on", "counterpart_ratified_on", "in_force_on", "known_in_force_on",
    "suspended_on", "terminated_on",
)
# Each undated step known by evidence, and the field saying how strong that evidence is.
EVIDENCE_FOR = {"known_signed_by": "known_signed_evidence", "known_in_force_on": "known_in_force_evidence"}


def evidence_constraint(date_field: str, basis_field: str) -> models.CheckConstraint:
    """The database refuses undated evidence without its basis, and a basis without a date."""
    return models.CheckConstraint(
        condition=Q(**{f"{date_field}__isnull": True, basis_field: ""})
        | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{basis_field: ""})),
        name=f"%(app_label)s_%(class)s_{date_field}_has_evidence",
        violation_error_message=f"{date_field}: say what the evidence is, and give its date.",
    )


class Treaty(PublishableModel):
    """A bilateral agreement and the dates of its steps. Its status is derived, never stored."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable id, used in the treaty's URL, e.g. extradition-cn-be."
    )
    kind = models.CharField(
        max_length=30, choices=TreatyKind.choices, db_index=True,
        help_text="What the treaty is about.",
    )
    china_party = models.CharField(
        "Chinese party", max_length=5, choices=ChineseParty.choices, default=ChineseParty.PRC,
        help_text="The Chinese party to the treaty.",
    )
    counterpart = CountryField(db_index=True, blank=True, help_text="The other state; blank for an organisation.")
    counterpart_organisation = models.CharField(
        max_length=200, blank=True, help_text="When the other party is an international organisation (e.g. UNODC)."
    )
    title = models.CharField(max_length=500, help_text="The treaty's title.")

    signed_on, signed_on_precision = partial_date_fields("signed", help_text="When the treaty was signed.")
    # A treaty a source shows as signed (a list of treaties awaiting ratification) without the
    # signing date: signed by then, of unknown status before.
    known_signed_by, known_signed_by_precision = partial_date_fields(
        "known to be signed by",
        help_text="When the signing date is unknown: the date of the evidence that it had been signed.",
    )
    known_signed_evidence = models.CharField(
        "evidence of signature", max_length=20, choices=EvidenceBasis.choices, blank=True,
        help_text="What shows it signed by that date, and so how far the figures that count it can be trusted.",
    )
    china_approved_on, china_approved_on_precision = partial_date_fields(
        "approved by China's legislature", help_text="When the NPC Standing Committee approved the treaty."
    )
    counterpart_ratified_on, counterpart_ratified_on_precision = partial_date_fields(
        "ratified by the counterpart", help_text="When the other party ratified the treaty."
    )
    in_force_on, in_force_on_precision = partial_date_fields(
        "entered into force", help_text="When the treaty entered into force."
    )
    # Many sources say a treaty is in force (an official list of 2018, a court applying it) without
    # saying since when: that evidence counts from its date, and before it the status is unknown.
    known_in_force_on, known_in_force_on_precision = partial_date_fields(
        "known to be in force on",
        help_text="When the date of entry into force is unknown: the date of a source showing the treaty in force.",
    )
    known_in_force_evidence = models.CharField(
        "evidence of being in force", max_length=20, choices=EvidenceBasis.choices, blank=True,
        help_text="What shows it in force on that date: a source on this treaty, a weak list, or an official count.",
    )
    suspended_on, suspended_on_precision = partial_date_fields("suspended", help_text="When the treaty was suspended.")
    terminated_on, terminated_on_precision = partial_date_fields(
        "terminated", help_text="When the treaty was terminated."
    )

    # Notable provisions; None means the text has not been checked.
    simplified_procedure = models.BooleanField(
        null=True, blank=True,
        help_text="Provides a simplified extradition procedure; null: the text has not been checked.",
    )
    death_penalty_refusal = models.BooleanField(
        null=True, blank=True,
        help_text="Provides for refusal where the death penalty applies; null: the text has not been checked.",
    )
    political_offence_exception = models.BooleanField(
        null=True, blank=True,
        help_text="Has the political offence exception; null: the text has not been checked.",
    )
    nationals_refusal = models.BooleanField(
        null=True, blank=True,
        help_text="Provides for refusing to extradite own nationals; null: the text has not been checked.",
    )
    notes = models.TextField(blank=True, help_text="Uncertainties and disagreements between sources.")

    signed = PartialDateProperty("signed_on")
    known_signed = PartialDateProperty("known_signed_by")
    china_approved = PartialDateProperty("china_approved_on")
    counterpart_ratified = PartialDateProperty("counterpart_ratified_on")
    in_force = PartialDateProperty("in_force_on")
    known_in_force = PartialDateProperty("known_in_force_on")
    suspended = PartialDateProperty("suspended_on")
    terminated = PartialDateProperty("terminated_on")

    objects = TreatyQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        verbose_name_plural = "treaties"
        ordering = ["counterpart", "kind", "signed_on", "pk"]
        constraints = [
            *(partial_date_constraint(field) for field in ("signed_on", *STEPS_AFTER_SIGNATURE)),
            *(date_order_constraint("signed_on", field) for field in STEPS_AFTER_SIGNATURE),
            date_order_constraint("in_force_on", "suspended_on"),
            date_order_constraint("in_force_on", "known_in_force_on"),
            *(evidence_constraint(date_field, basis_field) for date_field, basis_field in EVIDENCE_FOR.items()),
            models.UniqueConstraint(
                fields=["kind", "china_party", "counterpart", "title"], name="treaties_treaty_unique_title"
            ),
            models.CheckConstraint(
                condition=~Q(counterpart="") | ~Q(counterpart_organisation=""),
                name="treaties_treaty_has_counterpart",
                violation_error_message="A treaty needs a counterpart state or organisation.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("site:treaty-detail", args=[self.slug])

    def status_on(self, on: datetime.date | None = None) -> TreatyStatus:
        return treaty_status_on(
            on or timezone.localdate(),
            signed_on=self.signed_on,
            in_force_on=self.in_force_on,
            known_in_force_on=self.known_in_force_on,
            suspended_on=self.suspended_on,
            terminated_on=self.terminated_on,
            known_signed_by=self.known_signed_by,
            china_approved_on=self.china_approved_on,
            counterpart_ratified_on=self.counterpart_ratified_on,
        )

    def status_evidence_on(self, on: datetime.date | None = None, status: str | None = None) -> StatusEvidence:
        """What the status on ``on`` (given, when already known) rests on: a dated step, or
        undated evidence of some strength."""
        on = on or timezone.localdate()
        return status_evidence(status or self.status_on(on), on, **{f: getattr(self, f) for f in EVIDENCE_FIELDS})

    @property
    def current_status(self) -> TreatyStatus:
        return self.status_on()

    def describe_status_on(self, on: datetime.date | None = None) -> str:
        """The status on ``on`` as shown to readers, qualified when it rests on undated evidence."""
        on = on or timezone.localdate()
        status = self.status_on(on)
        return describe_status(status, self.status_evidence_on(on, status))


class TreatyStepKind(models.TextChoices):
    PARLIAMENT_VOTE = "parliament_vote", "Parliament vote"
    GAZETTE_PUBLICATION = "gazette_publication", "Publication in an official gazette"
    EXCHANGE_OF_INSTRUMENTS = "exchange_of_instruments", "Exchange of instruments"
    OTHER = "other", "Other"


class TreatyStep(CitableModel):
    """A further timeline entry that the treaty's own dates do not cover."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="steps", help_text="The treaty.")
    occurred_on, occurred_on_precision = partial_date_fields(
        "date", required=True, help_text="When the step happened."
    )
    kind = models.CharField(
        max_length=30, choices=TreatyStepKind.choices,
        help_text="What the step was.",
    )
    description = models.TextField(blank=True, help_text="The step in our own words.")

    occurred = PartialDateProperty("occurred_on")

    visibility_paths = ("treaty",)

    class Meta:
        ordering = ["treaty", "occurred_on", "pk"]
        constraints = [partial_date_constraint("occurred_on")]

    def __str__(self):
        return f"{self.get_kind_display()}, {self.occurred}"

    def get_absolute_url(self):
        return self.treaty.get_absolute_url()
