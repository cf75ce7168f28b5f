"""Court rulings and the legal provisions they rely on."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from extraditions.fields import CountryField
from extraditions.indexes import contains_search_index, public_list_index
from extraditions.models import BaseModel, PublishableModel
from extraditions.partial_dates import PartialDateProperty, partial_date_constraint, partial_date_fields


class Instrument(models.TextChoices):
    ECHR = "echr", "European Convention on Human Rights"
    EU_CHARTER = "eu_charter", "Charter of Fundamental Rights of the EU"
    CAT = "cat", "UN Convention against Torture"
    ICCPR = "iccpr", "International Covenant on Civil and Political Rights"
    REFUGEE_CONVENTION = "refugee_convention", "Refugee Convention (1951)"
    NATIONAL_LAW = "national_law", "National law"
    OTHER = "other", "Other"


INSTRUMENT_SHORT_NAMES = {
    Instrument.ECHR: "ECHR",
    Instrument.EU_CHARTER: "EU Charter",
    Instrument.CAT: "CAT",
    Instrument.ICCPR: "ICCPR",
    Instrument.REFUGEE_CONVENTION: "Refugee Convention",
}


class LegalProvision(BaseModel):
    """An article of an instrument that rulings rely on (ECHR art. 3, CAT art. 3, …)."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)
    column_properties = ("__str__",)  # its label, from its own columns (api/projection.py)

    slug = models.SlugField(max_length=80, unique=True)
    instrument = models.CharField(max_length=20, choices=Instrument.choices)
    instrument_name = models.CharField(
        max_length=200, blank=True, help_text="For national laws and other instruments: the law's name."
    )
    article = models.CharField(
        max_length=40,
        blank=True,
        help_text='"3", "19(2)", "Chapter 2 section 4". Blank when a ruling relies on the instrument as a whole.',
    )
    title = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True, help_text="For a national law.")

    class Meta:
        ordering = ["instrument", "instrument_name", "article", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "instrument_name", "country", "article"], name="cases_provision_unique"
            ),
            models.CheckConstraint(
                condition=~Q(instrument=Instrument.NATIONAL_LAW) | ~Q(country=""),
                name="cases_provision_national_law_has_country",
                violation_error_message="A national law belongs to a country.",
            ),
        ]

    def __str__(self):
        name = self.instrument_name or INSTRUMENT_SHORT_NAMES.get(self.instrument, self.get_instrument_display())
        return f"{name} art. {self.article}" if self.article else name


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", "First instance"
    APPEAL = "appeal", "Appeal"
    SUPREME = "supreme", "Supreme court"
    CONSTITUTIONAL = "constitutional", "Constitutional court"
    REGIONAL_HUMAN_RIGHTS = "regional_human_rights", "Regional human-rights court or commission"
    UN_BODY = "un_body", "UN body"
    OTHER = "other", "Other"


class RulingDecision(models.TextChoices):
    EXTRADITION_REFUSED = "extradition_refused", "Extradition refused"
    EXTRADITION_PERMITTED = "extradition_permitted", "Extradition permitted"
    REMANDED = "remanded", "Remanded"
    DETENTION_UNLAWFUL = "detention_unlawful", "Detention unlawful"
    INTERIM_MEASURES = "interim_measures", "Interim measures"
    OTHER = "other", "Other"


class AssuranceAssessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED_UNRELIABLE = "rejected_unreliable", "Rejected as unreliable"
    REJECTED_NOT_BINDING = "rejected_not_binding", "Rejected as not legally binding"


class CourtRuling(PublishableModel):
    """A decision of a court or international body in a case."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(max_length=120, unique=True)
    case = models.ForeignKey("Case", on_delete=models.PROTECT, related_name="rulings")
    court = models.CharField(max_length=300)
    country = CountryField(blank=True, help_text="Empty for an international body.")
    international_body = models.CharField(max_length=200, blank=True)
    level = models.CharField(max_length=25, choices=CourtLevel.choices, db_index=True)
    decided_on, decided_on_precision = partial_date_fields("decided")
    decision = models.CharField(max_length=25, choices=RulingDecision.choices, db_index=True)
    grounds = models.ManyToManyField(LegalProvision, blank=True, related_name="rulings")
    assurance_assessment = models.CharField(
        "assessment of China's assurances",
        max_length=25,
        choices=AssuranceAssessment.choices,
        default=AssuranceAssessment.NOT_ASSESSED,
        db_index=True,
    )
    docket_number = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True, help_text="In our own words.")
    full_text = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code of the ruling's language.")

    decided = PartialDateProperty("decided_on")

    visibility_paths = ("", "case")
    publish_needs_summary = "summary"

    class Meta(PublishableModel.Meta):
        ordering = ["-decided_on", "court", "pk"]
        indexes = [
            models.Index(F("decided_on").desc(), F("court"), name="cases_ruling_decided_court"),  # the staff list
            public_list_index("decided_on", descending=True, name="cases_ruling_public_decided"),
            *contains_search_index("ruling", "court", "docket_number", "summary"),
        ]
        constraints = [
            partial_date_constraint("decided_on"),
            models.CheckConstraint(
                condition=~Q(country="") | ~Q(international_body=""),
                name="cases_ruling_has_jurisdiction",
                violation_error_message="Give the court's country or the international body.",
            ),
            models.UniqueConstraint(
                fields=["court", "docket_number"],
                condition=~Q(docket_number=""),
                name="cases_ruling_unique_docket",
            ),
        ]

    def __str__(self):
        return f"{self.court}, {self.decided or 'undated'}"

    def get_absolute_url(self):
        return reverse("site:ruling-detail", args=[self.slug])
