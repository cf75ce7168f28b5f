"""Diplomatic assurances given by China, and breaches of assurances and treaties."""

from django.db import models
from django.db.models import Q

from extraditions.models import CitableModel
from extraditions.partial_dates import PartialDateProperty, partial_date_constraint, partial_date_fields


class AssuranceCompliance(models.TextChoices):
    HONOURED = "honoured", "Honoured"
    BREACHED = "breached", "Breached"
    UNVERIFIABLE = "unverifiable", "Unverifiable"
    PENDING = "pending", "Pending"
    NOT_APPLICABLE = "not_applicable", "Not applicable (person not returned)"


PROMISE_FIELDS = (
    "promises_no_death_penalty",
    "promises_no_torture",
    "promises_fair_trial",
    "promises_consular_access",
    "promises_monitoring",
)


class DiplomaticAssurance(CitableModel):
    """A promise the requesting state made to obtain a return, and whether it was kept."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    case = models.ForeignKey(
        "Case", on_delete=models.CASCADE, related_name="assurances", help_text="The case the assurance was given in."
    )
    given_on, given_on_precision = partial_date_fields("given", help_text="When the assurance was given.")
    giver = models.CharField(
        max_length=200, blank=True, help_text="Who gave it: an embassy, the Supreme People's Court, the MPS, …"
    )
    promises_no_death_penalty = models.BooleanField(
        "no death penalty", default=False, help_text="It promises that the person will not face the death penalty."
    )
    promises_no_torture = models.BooleanField(
        "no torture", default=False, help_text="It promises that the person will not be tortured."
    )
    promises_fair_trial = models.BooleanField("fair trial", default=False, help_text="It promises a fair trial.")
    promises_consular_access = models.BooleanField(
        "consular access", default=False, help_text="It promises consular access to the person."
    )
    promises_monitoring = models.BooleanField(
        "monitoring", default=False, help_text="It promises that the person's treatment may be monitored."
    )
    other_promises = models.TextField(blank=True, help_text="Any other promise, in our own words.")
    accepted_by_host = models.BooleanField(
        "accepted by the host state", null=True, blank=True,
        help_text="Whether the host state accepted the assurance; null when not known.",
    )
    assessed_by = models.ForeignKey(
        "CourtRuling", on_delete=models.SET_NULL, null=True, blank=True, related_name="assurances_assessed",
        help_text="The court ruling that assessed the assurance.",
    )
    compliance = models.CharField(
        max_length=15, choices=AssuranceCompliance.choices, default=AssuranceCompliance.PENDING, db_index=True,
        help_text="Whether the promises were kept.",
    )
    breach_detail = models.TextField(blank=True, help_text="How the promise was broken, in our own words.")

    given = PartialDateProperty("given_on")

    visibility_paths = ("case",)
    visibility_waivers = {"assessed_by": "the ruling that judged it, shown only when the ruling itself is visible"}

    class Meta:
        ordering = ["case", "given_on", "pk"]
        constraints = [
            partial_date_constraint("given_on"),
            models.CheckConstraint(
                condition=Q(promises_no_death_penalty=True)
                | Q(promises_no_torture=True)
                | Q(promises_fair_trial=True)
                | Q(promises_consular_access=True)
                | Q(promises_monitoring=True)
                | ~Q(other_promises=""),
                name="cases_assurance_promises_something",
                violation_error_message="An assurance promises at least one thing.",
            ),
        ]

    def __str__(self):
        return f"Assurance by {self.giver or 'China'} ({', '.join(self.promise_labels) or 'other'})"

    def get_absolute_url(self):
        return self.case.get_absolute_url()

    @property
    def promise_labels(self) -> list[str]:
        return [str(self._meta.get_field(name).verbose_name) for name in PROMISE_FIELDS if getattr(self, name)]


class BreachKind(models.TextChoices):
    CONSULAR_ACCESS_DENIED = "consular_access_denied", "Consular access denied"
    EXECUTION_DESPITE_ASSURANCE = "execution_despite_assurance", "Execution despite an assurance"
    TORTURE = "torture", "Torture or ill-treatment"
    UNFAIR_TRIAL = "unfair_trial", "Unfair trial"
    CITIZENSHIP_NOT_RECOGNISED = "citizenship_not_recognised", "Foreign citizenship not recognised"
    OTHER = "other", "Other"


class Breach(CitableModel):
    """A breach of a treaty, an assurance or a multilateral convention: what, when, by whom."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    kind = models.CharField(
        max_length=30, choices=BreachKind.choices,
        help_text="What the breach was.",
    )
    occurred_on, occurred_on_precision = partial_date_fields("occurred", help_text="When the breach happened.")
    by_whom = models.CharField(
        "by whom", max_length=200, blank=True, help_text="Who committed it, e.g. PRC authorities."
    )
    treaty = models.ForeignKey(
        "treaties.Treaty", on_delete=models.PROTECT, null=True, blank=True, related_name="breaches",
        help_text="The treaty breached, e.g. a consular agreement.",
    )
    assurance = models.ForeignKey(
        DiplomaticAssurance, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches",
        help_text="The diplomatic assurance breached.",
    )
    provision = models.ForeignKey(
        "LegalProvision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        help_text="For a multilateral convention with no bilateral treaty behind it (e.g. the Vienna Convention).",
    )
    case = models.ForeignKey(
        "Case", on_delete=models.CASCADE, null=True, blank=True, related_name="breaches",
        help_text="The case it happened in, if any.",
    )
    person = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="breaches",
        help_text="The person it concerns, if any.",
    )
    description = models.TextField(help_text="What happened, in our own words.")

    occurred = PartialDateProperty("occurred_on")

    # A breach of an assurance is as hidden as the assurance's case.
    visibility_paths = ("?case", "?person", "?treaty", "?assurance__case")

    class Meta:
        verbose_name_plural = "breaches"
        ordering = ["-occurred_on", "pk"]
        constraints = [
            partial_date_constraint("occurred_on"),
            models.CheckConstraint(
                condition=Q(treaty__isnull=False) | Q(assurance__isnull=False) | Q(provision__isnull=False),
                name="cases_breach_of_something",
                violation_error_message="A breach is of a treaty, an assurance or a legal provision.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.occurred or 'undated'})"

    def get_absolute_url(self):
        """The page of what was breached in: its case, else the person, the treaty or the assurance's case."""
        owner = self.case or self.person or self.treaty or (self.assurance and self.assurance.case)
        return owner.get_absolute_url() if owner else None
