"""Cases: attempts to bring a person or a group back to China, and what happens inside them."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from extraditions.choices import ChineseParty
from extraditions.fields import CountryField
from extraditions.indexes import contains_search_index, public_list_index
from extraditions.models import BaseModel, CitableModel, PublishableModel, VisibilityQuerySet
from extraditions.partial_dates import (
    PartialDateProperty,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
)


class CaseKind(models.TextChoices):
    FORMAL_EXTRADITION = "formal_extradition", "Formal extradition"
    DISGUISED_EXTRADITION = "disguised_extradition", "Deportation used as a disguised extradition"
    INVOLUNTARY_RETURN = "involuntary_return", "Involuntary return (pressure on family, agents abroad)"
    ABDUCTION = "abduction", "Abduction"
    LURING = "luring", "Luring to a third country"
    OFF_SITE_PROSECUTION = "off_site_prosecution", "Off-site prosecution"
    INTERPOL_DETENTION = "interpol_detention", "Detention on an INTERPOL notice without a request"
    UNKNOWN = "unknown", "Means not known"  # the sources say someone was pursued or returned, not how


class ChargeCategory(models.TextChoices):
    CORRUPTION = "corruption", "Corruption or economic crime"
    FRAUD = "fraud", "Fraud"
    SMUGGLING = "smuggling", "Smuggling"
    TERRORISM = "terrorism", "Terrorism or separatism"
    NATIONAL_SECURITY = "national_security", "National security"
    DRUG_OFFENCE = "drug_offence", "Drug offence"
    VIOLENT_CRIME = "violent_crime", "Violent crime"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class CaseOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    REFUSED = "refused", "Refused"
    EXTRADITED = "extradited", "Returned by extradition"
    DEPORTED = "deported", "Returned by deportation"
    RETURNED_INVOLUNTARILY = "returned_involuntarily", "Returned involuntarily"
    RETURNED = "returned", "Returned, by means not known"
    RELEASED = "released", "Released"
    DIED_IN_CUSTODY = "died_in_custody", "Died in custody"
    THIRD_COUNTRY = "third_country", "Left for a third country"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Unknown"


class Aftermath(models.TextChoices):
    NOT_RETURNED = "not_returned", "Not returned"
    SENTENCED = "sentenced", "Sentenced"
    EXECUTED = "executed", "Executed"
    DISAPPEARED = "disappeared", "Disappeared"
    UNKNOWN = "unknown", "Unknown"


class Case(PublishableModel):
    """One attempt to bring one person or one group back to China from one host country."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(
        max_length=120, unique=True, help_text="Stable id, used in the case's URL, e.g. se-qiao-jianjun-2019."
    )
    title = models.CharField(max_length=300, help_text="E.g. Qiao Jianjun: extradition request to Sweden.")
    kind = models.CharField(
        max_length=30, choices=CaseKind.choices, db_index=True,
        help_text="How the return was sought; unknown when the sources say someone was pursued or returned, not how.",
    )
    requesting_state = models.CharField(
        max_length=5, choices=ChineseParty.choices, default=ChineseParty.PRC,
        help_text="Who seeks the return.",
    )
    host_country = CountryField(
        blank=True, db_index=True,
        help_text="The country the person was to be returned from; empty only when the sources do not say.",
    )
    started_on, started_on_precision = partial_date_fields(
        "started", help_text="When the attempt began, as far as the sources say."
    )
    persons = models.ManyToManyField("Person", through="CaseParticipant", related_name="cases")
    group_size = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a group: how many people in all, named or not."
    )
    group_description = models.TextField(blank=True, help_text="For a group: who its members are.")
    charges = models.TextField("charges alleged", blank=True, help_text="The charges China alleges, briefly.")
    charge_category = models.CharField(
        max_length=20, choices=ChargeCategory.choices, default=ChargeCategory.UNKNOWN, db_index=True,
        help_text="The kind of crime alleged, for counting cases.",
    )
    outcome = models.CharField(
        max_length=25, choices=CaseOutcome.choices, default=CaseOutcome.PENDING, db_index=True,
        help_text="How the attempt ended, or pending while it goes on: refused by the host state, withdrawn, a return "
        "(by extradition, deportation, involuntary means or means not known), released, left for a third country, "
        "died in custody; unknown when the sources do not say.",
    )
    aftermath = models.CharField(
        "after return", max_length=15, choices=Aftermath.choices, blank=True,
        help_text="What became of the person after the case; empty when not recorded.",
    )
    aftermath_detail = models.TextField(blank=True, help_text="The aftermath in our own words.")
    treaty = models.ForeignKey(
        "treaties.Treaty", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        help_text="The treaty invoked, if any.",
    )
    summary = models.TextField(blank=True, help_text="What happened, in our own words.")

    started = PartialDateProperty("started_on")

    publish_needs_summary = "summary"
    visibility_waivers = {
        "treaty": "the treaty invoked, shown only when the treaty itself is visible",
        "persons": "listed through CaseParticipant, whose own visibility paths hide a hidden person",
    }

    class Meta(PublishableModel.Meta):
        ordering = ["-started_on", "title", "pk"]
        # The staff list's order, its date hierarchy and its first and last years.
        indexes = [
            models.Index(F("started_on").desc(), F("title"), name="cases_case_started_title"),
            public_list_index("started_on", descending=True, name="cases_case_public_started"),
            *contains_search_index("case", "title", "slug", "summary", "charges"),
        ]
        constraints = [
            partial_date_constraint("started_on"),
            models.CheckConstraint(
                condition=Q(group_size__isnull=True) | Q(group_size__gte=1),
                name="cases_case_group_size_positive",
                violation_error_message="A group has at least one person.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("site:case-detail", args=[self.slug])

    @property
    def is_group(self) -> bool:
        return self.group_size is not None


class ParticipantRole(models.TextChoices):
    SUBJECT = "subject", "Subject (sought)"
    CO_ACCUSED = "co_accused", "Co-accused"
    FAMILY_MEMBER = "family_member", "Family member targeted"
    OTHER = "other", "Other"


class CaseParticipant(BaseModel):
    """A person's role in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants", help_text="The case.")
    person = models.ForeignKey(
        "Person", on_delete=models.PROTECT, related_name="participations", help_text="The person in the case."
    )
    role = models.CharField(
        max_length=15, choices=ParticipantRole.choices, default=ParticipantRole.SUBJECT,
        help_text="The person's part in the case.",
    )

    visibility_paths = ("case", "person")

    class Meta:
        ordering = ["case", "role", "person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="cases_participant_unique")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    @property
    def public_label(self) -> str:
        return f"{self.person.public_label} ({self.get_role_display()})"


class DetentionQuerySet(VisibilityQuerySet):
    def on_interpol_notices(self, user):
        """Detentions in cases with an INTERPOL notice ``user`` may see, and INTERPOL detentions
        (a person held on a notice, with or without an extradition request)."""
        from .interpol import InterpolNotice

        notices = InterpolNotice.objects.visible_to(user).filter(cases=OuterRef("case"))
        return self.filter(Exists(notices) | Q(case__kind=CaseKind.INTERPOL_DETENTION))


class Detention(CitableModel):
    """A period in custody in a case. Open while ``ended_on`` is empty."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)
    column_properties = ("is_ongoing", "duration_days")  # computed from its own columns (api/projection.py)

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="detentions", help_text="The case the person was held in."
    )
    person = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="detentions",
        help_text="The person held; empty for a detention of an unnamed group.",
    )
    started_on, started_on_precision = partial_date_fields("start", help_text="When the custody began.")
    ended_on, ended_on_precision = partial_date_fields(
        "end", help_text="When the custody ended; empty while the detention goes on."
    )
    place = models.CharField(max_length=300, blank=True, help_text="Where the person was held.")
    conditions = models.TextField(blank=True, help_text="Conditions of custody, e.g. solitary confinement.")

    started = PartialDateProperty("started_on")
    ended = PartialDateProperty("ended_on")

    visibility_paths = ("case", "?person")

    objects = DetentionQuerySet.as_manager()

    class Meta:
        ordering = ["case", "started_on", "pk"]
        constraints = [
            partial_date_constraint("started_on"),
            partial_date_constraint("ended_on"),
            date_order_constraint("started_on", "ended_on"),
        ]

    def __str__(self):
        # The name only: a pseudonymous person's other names never go into a label.
        who = self.person.name if self.person_id else "Detention"
        return f"{who}: {self.started or '?'} – {self.ended or 'ongoing'}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()

    @property
    def is_ongoing(self) -> bool:
        return self.ended_on is None

    @property
    def duration_days(self) -> int | None:
        """Days in custody so far (to today while ongoing); None when the start is unknown."""
        if self.started_on is None:
            return None
        return ((self.ended_on or timezone.localdate()) - self.started_on).days


class CaseEventKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    DETENTION = "detention", "Detention"
    RELEASE = "release", "Release"
    REQUEST_FILED = "request_filed", "Request filed"
    HEARING = "hearing", "Hearing"
    RULING = "ruling", "Ruling"
    APPEAL = "appeal", "Appeal"
    UN_COMMUNICATION = "un_communication", "UN communication"
    INTERPOL_ACTION = "interpol_action", "INTERPOL action"
    ASSURANCE = "assurance", "Diplomatic assurance"
    TRANSFER = "transfer", "Transfer to China"
    SENTENCE = "sentence", "Sentence"
    DEATH = "death", "Death"
    OTHER = "other", "Other"


class CaseEvent(CitableModel):
    """An entry in a case's timeline. Sources sometimes give the order of events but not their date."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", help_text="The case.")
    occurred_on, occurred_on_precision = partial_date_fields(
        "date", help_text="When it happened; empty when the sources give no date."
    )
    kind = models.CharField(
        max_length=20, choices=CaseEventKind.choices, help_text="What happened."
    )
    person = models.ForeignKey(
        "Person", on_delete=models.PROTECT, null=True, blank=True, related_name="events",
        help_text="The person it happened to, when it concerns one person of the case.",
    )
    description = models.TextField(blank=True, help_text="What happened, in our own words.")

    occurred = PartialDateProperty("occurred_on")

    visibility_paths = ("case", "?person")

    class Meta:
        ordering = ["case", models.F("occurred_on").asc(nulls_last=True), "created_at", "pk"]
        constraints = [partial_date_constraint("occurred_on")]
        indexes = contains_search_index("caseevent", "description")

    def __str__(self):
        return f"{self.occurred or 'Undated'}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()


class LegalBasis(models.TextChoices):
    TREATY = "treaty", "Bilateral treaty"
    CONVENTION = "convention", "Multilateral convention (e.g. UNCAC)"
    RECIPROCITY = "reciprocity", "Ad hoc reciprocity"
    UNKNOWN = "unknown", "Unknown"


class RequestDecision(models.TextChoices):
    PENDING = "pending", "Pending"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Unknown"


class ExtraditionRequest(CitableModel):
    """A formal extradition request inside a case."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests", help_text="The case.")
    requested_on, requested_on_precision = partial_date_fields("requested", help_text="When the request was made.")
    requesting_authority = models.CharField(
        max_length=200, blank=True, help_text="Who made the request, e.g. the Ministry of Public Security."
    )
    legal_basis = models.CharField(
        max_length=12, choices=LegalBasis.choices, default=LegalBasis.UNKNOWN,
        help_text="What the request relies on; the treaty or convention is named in treaty or convention.",
    )
    treaty = models.ForeignKey(
        "treaties.Treaty", on_delete=models.PROTECT, null=True, blank=True, related_name="requests",
        help_text="The treaty invoked: given exactly when the legal basis is a treaty.",
    )
    convention = models.CharField(max_length=200, blank=True, help_text="The convention invoked, e.g. UNCAC.")
    offences = models.TextField("offences alleged", blank=True, help_text="The offences the request alleges.")
    decision = models.CharField(
        max_length=10, choices=RequestDecision.choices, default=RequestDecision.PENDING,
        help_text="What became of the request.",
    )
    decided_on, decided_on_precision = partial_date_fields(
        "decided", help_text="When the request was decided; empty while it is pending."
    )
    deciding_body = models.CharField(
        max_length=200, blank=True, help_text="Who decided, e.g. the Supreme Court of Sweden."
    )

    requested = PartialDateProperty("requested_on")
    decided = PartialDateProperty("decided_on")

    visibility_paths = ("case",)
    visibility_waivers = {"treaty": "the treaty invoked, shown only when the treaty itself is visible"}

    class Meta:
        ordering = ["case", "requested_on", "pk"]
        constraints = [
            partial_date_constraint("requested_on"),
            partial_date_constraint("decided_on"),
            date_order_constraint("requested_on", "decided_on"),
            models.CheckConstraint(
                condition=Q(legal_basis=LegalBasis.TREATY, treaty__isnull=False)
                | (~Q(legal_basis=LegalBasis.TREATY) & Q(treaty__isnull=True)),
                name="cases_request_treaty_matches_basis",
                violation_error_message="Name the treaty exactly when the legal basis is a treaty.",
            ),
            models.CheckConstraint(
                condition=~Q(decision=RequestDecision.PENDING) | Q(decided_on__isnull=True),
                name="cases_request_pending_has_no_decision_date",
                violation_error_message="A pending request has no decision date.",
            ),
        ]

    def __str__(self):
        return f"Request {self.requested or '(undated)'} in {self.case}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()
