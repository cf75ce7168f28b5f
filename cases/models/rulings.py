"""Court rulings and the legal provisions they rely on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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


# How courts and lawyers name each instrument, in the languages of the rulings the tracker holds
# (English, Swedish, Czech, Polish, German, French, Dutch, Spanish): a ground is found by any of them.
INSTRUMENT_NAMES_IN_COURTS = {
    Instrument.ECHR: (
        "ECHR", "European Convention on Human Rights", "EMRK", "CEDH", "CEDU", "EVRM", "EKPC", "EÚLP", "Europakonventionen",
    ),
    Instrument.EU_CHARTER: (
        "EU Charter", "Charter of Fundamental Rights", "GRCh", "Grundrechtecharta", "Karta praw podstawowych",
        "Listina základních práv", "EU:s rättighetsstadga",
    ),
    Instrument.CAT: ("CAT", "UNCAT", "Convention against Torture", "UN-Antifolterkonvention", "Konwencja w sprawie zakazu tortur"),
    Instrument.ICCPR: ("ICCPR", "International Covenant on Civil and Political Rights", "IPbpR", "PIDCP", "MPPOiP"),
    Instrument.REFUGEE_CONVENTION: ("Refugee Convention", "Geneva Convention", "Flyktingkonventionen"),
}
# The word for "article" before a number, in the same languages.
ARTICLE_WORDS = ("art.", "article", "Artikel", "artikel", "artykuł", "čl.", "článek", "artículo")


class LegalProvision(BaseModel):
    """An article of an instrument that rulings rely on (ECHR art. 3, CAT art. 3, …)."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)
    column_properties = ("__str__", "vocabulary_words")  # computed from its own columns (api/projection.py)

    slug = models.SlugField(
        max_length=80, unique=True, help_text="Stable id, used in the provision's URL and in filters, e.g. echr-3."
    )
    instrument = models.CharField(
        max_length=20, choices=Instrument.choices,
        help_text="The convention, charter or law the provision belongs to (national_law: a country's own law).",
    )
    instrument_name = models.CharField(
        max_length=200, blank=True, help_text="For national laws and other instruments: the law's name."
    )
    article = models.CharField(
        max_length=40,
        blank=True,
        help_text='"3", "19(2)", "Chapter 2 section 4". Blank when a ruling relies on the instrument as a whole.',
    )
    title = models.CharField(
        max_length=200, blank=True, help_text="What the article is about, e.g. Prohibition of torture."
    )
    country = CountryField(blank=True, help_text="For a national law: its country.")
    vocabulary = models.TextField(
        blank=True,
        help_text="Words lawyers and courts use for what this provision protects, in the courts' languages, "
        "separated by commas (e.g. for a national law: torture, mučení): a search for any of them finds the rulings "
        "that rely on the provision, and says so. The articles of the ECHR, the EU Charter, the CAT, the ICCPR and "
        "the Refugee Convention have standard words already (cases/vocabulary.py).",
    )

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

    def written_forms(self) -> list[str]:
        """The usual ways of writing this provision ("ECHR art. 3", "Article 3 ECHR", "Art. 3 EMRK", …)."""
        names = [self.instrument_name] if self.instrument_name else list(INSTRUMENT_NAMES_IN_COURTS.get(self.instrument, ()))
        if not self.article:
            return [str(self), *names]
        return [str(self), *(f"{word} {self.article} {name}" for name in names for word in ARTICLE_WORDS[:2]),
                *(f"{word} {self.article}" for word in ARTICLE_WORDS)]

    def vocabulary_words(self) -> list[str]:
        """The words of what the provision protects: the standard ones for its article
        (cases/vocabulary.py), then its own."""
        from ..vocabulary import standard_vocabulary

        own = [word.strip() for word in self.vocabulary.replace("\n", ",").split(",") if word.strip()]
        return list(dict.fromkeys([*standard_vocabulary(self.instrument, self.article), *own]))


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", "First instance"
    APPEAL = "appeal", "Appeal"
    SUPREME = "supreme", "Supreme court"
    CONSTITUTIONAL = "constitutional", "Constitutional court"
    REGIONAL_HUMAN_RIGHTS = "regional_human_rights", "Regional human-rights court or commission"
    UN_BODY = "un_body", "UN body"
    OTHER = "other", "Other"


class RulingDecision(models.TextChoices):
    """What a court or body decided, as courts decide in extradition and removal cases: a domestic
    court permits or refuses the return; a human-rights court finds that a return would (or would
    not) violate an article (its grounds); a body grants or refuses interim measures; a UN treaty
    body adopts views."""

    EXTRADITION_REFUSED = "extradition_refused", "Extradition refused"
    EXTRADITION_PERMITTED = "extradition_permitted", "Extradition permitted"
    REMOVAL_REFUSED = "removal_refused", "Removal refused (deportation, expulsion)"
    REMOVAL_PERMITTED = "removal_permitted", "Removal permitted (deportation, expulsion)"
    WOULD_VIOLATE = "would_violate", "Would violate the person's rights if returned"
    WOULD_NOT_VIOLATE = "would_not_violate", "Would not violate the person's rights if returned"
    REMANDED = "remanded", "Remanded"
    DETENTION_UNLAWFUL = "detention_unlawful", "Detention unlawful"
    INTERIM_MEASURES = "interim_measures", "Interim measures granted"
    INTERIM_MEASURES_REFUSED = "interim_measures_refused", "Interim measures refused"
    COMMITTEE_VIEWS = "committee_views", "Views adopted by a UN treaty body"
    OTHER = "other", "Other"


class AssuranceAssessment(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    UNKNOWN = "unknown", "Not known (the source does not say)"
    ACCEPTED = "accepted", "Accepted"
    REJECTED_UNRELIABLE = "rejected_unreliable", "Rejected as unreliable"
    REJECTED_NOT_BINDING = "rejected_not_binding", "Rejected as not legally binding"
    REJECTED_INSUFFICIENT = "rejected_insufficient", "Rejected as insufficient to remove the risk"
    NOT_EXAMINED_BELOW = "not_examined_below", "Found not examined by the courts below"


class ReviewOutcome(models.TextChoices):
    """What a ruling on appeal, cassation or review did to the ruling it reviewed."""

    UPHELD = "upheld", "Upheld"
    OVERTURNED = "overturned", "Overturned"
    PARTLY_OVERTURNED = "partly_overturned", "Partly overturned"
    REMITTED = "remitted", "Set aside and sent back"


class CourtRuling(PublishableModel):
    """A decision of a court or international body in a case."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(
        max_length=120, unique=True,
        help_text="Stable id, used in the ruling's URL, e.g. se-supreme-court-qiao-jianjun-2019.",
    )
    case = models.ForeignKey(
        "Case", on_delete=models.PROTECT, related_name="rulings", help_text="The case the ruling was given in."
    )
    court = models.CharField(
        max_length=300, help_text="The court or body that decided, e.g. Supreme Court of Sweden (Högsta domstolen)."
    )
    country = CountryField(blank=True, help_text="The court's country; empty for an international body.")
    international_body = models.CharField(
        max_length=200, blank=True,
        help_text="For an international court or body, its name, e.g. European Court of Human Rights.",
    )
    level = models.CharField(
        max_length=25, choices=CourtLevel.choices, db_index=True,
        help_text="The court's level, or the kind of international body.",
    )
    decided_on, decided_on_precision = partial_date_fields("decided", help_text="When the ruling was given.")
    decision = models.CharField(
        max_length=25, choices=RulingDecision.choices, db_index=True,
        help_text="What was decided, as courts decide it: a domestic court permits or refuses the extradition or "
        "removal; a human-rights court finds that a return would or would not violate the person's rights; a body "
        "grants or refuses interim measures; a UN treaty body adopts views.",
    )
    grounds = models.ManyToManyField(
        LegalProvision, blank=True, related_name="rulings", help_text="The legal provisions the ruling relies on."
    )
    assurance_assessment = models.CharField(
        "assessment of China's assurances",
        max_length=25,
        choices=AssuranceAssessment.choices,
        default=AssuranceAssessment.NOT_ASSESSED,
        db_index=True,
        help_text="How the court or body judged China's diplomatic assurances.",
    )
    docket_number = models.CharField(max_length=100, blank=True, help_text="Or the application number (37610/18).")
    parties = models.CharField(
        max_length=300, blank=True, help_text="The case's name as the court gives it (Liu v. Poland), where it is public."
    )
    ecli = models.CharField(
        "ECLI",
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(
                r"^ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:[0-9]{4}:[A-Z0-9.]{1,25}$",
                "An ECLI reads ECLI:<country>:<court>:<year>:<number>, e.g. ECLI:CE:ECHR:2022:1006JUD003761018.",
            )
        ],
        help_text="The European Case Law Identifier, where the ruling has one.",
    )
    reviews = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_by",
        help_text="The earlier ruling this one decides an appeal, cassation or review of: the appeal chain.",
    )
    review_outcome = models.CharField(
        max_length=20, choices=ReviewOutcome.choices, blank=True, help_text="What this ruling did to the ruling it reviews."
    )
    relies_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="relied_on_by",
        help_text="Earlier rulings this one cites as authority (its pages list it as relied on by this one).",
    )
    summary = models.TextField(blank=True, help_text="The ruling in our own words.")
    full_text = models.TextField(
        blank=True, help_text="The text of the ruling, where the tracker holds it; searched by q."
    )
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code of the ruling's language.")

    decided = PartialDateProperty("decided_on")

    visibility_paths = ("", "case")
    link_details = {"reviews": ("review_outcome",)}  # hidden with the ruling reviewed (visibility.link_details)
    visibility_waivers = {
        "reviews": "the ruling it reviews, shown only when that ruling is visible, and its review outcome with it",
        "relies_on": "the rulings it relies on, listed only when each is visible",
    }
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
            models.UniqueConstraint(fields=["ecli"], condition=~Q(ecli=""), name="cases_ruling_unique_ecli"),
            models.CheckConstraint(
                condition=Q(reviews__isnull=False) | Q(review_outcome=""),
                name="cases_ruling_outcome_of_a_review",
                violation_error_message="A review's outcome needs the ruling it reviews.",
            ),
            models.CheckConstraint(
                condition=~Q(reviews=F("pk")),
                name="cases_ruling_not_its_own_review",
                violation_error_message="A ruling cannot review itself.",
            ),
        ]

    def __str__(self):
        return f"{self.court}, {self.decided or 'undated'}"

    def clean(self):
        super().clean()
        # An appeal chain runs one way: a ruling cannot be reviewed, however far down, by itself.
        seen, earlier = {self.pk}, self.reviews
        while earlier is not None and self.pk is not None:
            if earlier.pk in seen:
                raise ValidationError({"reviews": "This would make the appeal chain a circle."})
            seen.add(earlier.pk)
            earlier = earlier.reviews

    def appeal_chain(self, rulings) -> list[CourtRuling]:
        """This ruling's chain, first instance first: those it reviews, itself, those reviewing it,
        among ``rulings`` (the case's rulings the reader may see: a hidden link ends the chain)."""
        by_pk = {ruling.pk: ruling for ruling in rulings}
        below, earlier = [], by_pk.get(self.reviews_id)
        while earlier is not None and earlier not in below:
            below.insert(0, earlier)
            earlier = by_pk.get(earlier.reviews_id)
        above, current = [], self
        while (later := next((r for r in rulings if r.reviews_id == current.pk and r not in above), None)) is not None:
            above.append(later)
            current = later
        return [*below, self, *above]

    def get_absolute_url(self):
        return reverse("site:ruling-detail", args=[self.slug])
