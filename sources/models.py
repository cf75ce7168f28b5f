"""Sources, the citations that tie them to records, and the figures they report."""

import hashlib
import re
from decimal import Decimal
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.urls import reverse

from extraditions.fields import CountryField
from extraditions.models import (
    BaseModel,
    CitableModel,
    PublishableModel,
    VisibilityQuerySet,
)
from extraditions.partial_dates import (
    PartialDateProperty,
    partial_date_constraint,
    partial_date_fields,
)
from extraditions.visibility import is_staff_session, public_q

from . import documents


class SourceKind(models.TextChoices):
    NGO_REPORT = "ngo_report", "NGO report"
    COURT_DECISION = "court_decision", "Court decision"
    NEWS_ARTICLE = "news_article", "News article"
    UN_COMMUNICATION = "un_communication", "UN communication"
    OFFICIAL_STATEMENT = "official_statement", "Official statement or data"
    ACADEMIC_WORK = "academic_work", "Academic work"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


def not_too_large(file) -> None:
    """Source documents are reports and judgments: anything past the limit is refused, not stored."""
    limit = settings.SOURCE_FILE_MAX_MB
    if file and file.size > limit * 1024 * 1024:
        raise ValidationError(f"The file is {file.size / 1024 / 1024:.1f} MB; the limit is {limit} MB.", code="too_large")


class SourceQuerySet(VisibilityQuerySet):
    def judgments(self):
        """Public court decisions with text: what a ruling's search document holds of the
        sources cited for it (a public source only, so that a ruling's index entry holds nothing
        the public may not read)."""
        return self.public().filter(kind=SourceKind.COURT_DECISION, page_count__gt=0)


class Source(PublishableModel):
    """A document that facts in the tracker come from."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(
        max_length=120, unique=True,
        help_text="Stable id, used in the source's URL, e.g. sd-returned-without-rights-2022.",
    )
    kind = models.CharField(
        max_length=20, choices=SourceKind.choices,
        help_text="What sort of document it is.",
    )
    title = models.CharField(max_length=500, help_text="The document's title.")
    author = models.CharField(max_length=300, blank=True, help_text="Who wrote it, where named.")
    publisher = models.CharField(
        max_length=300, blank=True, help_text="Who published it: an NGO, a court, a newspaper, …"
    )
    published_on, published_on_precision = partial_date_fields("published", help_text="When it was published.")
    url = models.URLField("URL", max_length=1000, blank=True, help_text="Where the document is published online.")
    archived_url = models.URLField(
        "archived URL", max_length=1000, blank=True, help_text="A copy in a web archive, should the original move."
    )
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code, e.g. en, sv, zh.")
    file = models.FileField(
        upload_to="sources/%Y/", blank=True, validators=[not_too_large],
        help_text="The document itself, up to SOURCE_FILE_MAX_MB megabytes. The text of a PDF (page by page), "
        "an HTML page or a text file is read when it is attached, and searchable.",
    )
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, editable=False,
        help_text="The SHA-256 digest of the attached file, to check a copy; empty without a file.",
    )
    media_type = models.CharField(
        "kind of file", max_length=100, blank=True, editable=False,
        help_text="The attached file's media type (application/pdf, text/html, …), read from its first bytes.",
    )
    page_count = models.PositiveIntegerField(
        "pages", default=0, editable=False, help_text="Pages of the attached file whose text was read (0: none)."
    )
    notes = models.TextField(blank=True, help_text="Notes on the source, in our own words.")

    objects = SourceQuerySet.as_manager()

    published = PartialDateProperty("published_on")

    publish_needs_citation = False  # a source is what citations point to

    class Meta(PublishableModel.Meta):
        ordering = ["-published_on", "title", "pk"]
        constraints = [
            partial_date_constraint("published_on"),
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="sources_source_unique_url"),
            models.CheckConstraint(
                condition=Q(sha256="") | Q(Exact(Length("sha256"), 64)),
                name="sources_source_sha256_length",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("site:source-detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.file and not self.file._committed:
            try:  # read once here, so that an unreadable file is refused before anything is saved
                self._document = documents.read_document(self.file)
            except documents.UnreadableDocument as error:
                raise ValidationError({"file": str(error)}) from error

    def save(self, *args, **kwargs):
        document = None
        if self.file and not self.file._committed:
            self.sha256 = file_sha256(self.file)
            document = self.__dict__.pop("_document", None)
            if document is None:
                try:
                    document = documents.read_document(self.file)
                except documents.UnreadableDocument as error:
                    raise ValidationError({"file": str(error)}) from error
            self.media_type, self.page_count = document.media_type, len(document.pages)
        elif not self.file:
            self.sha256, self.media_type, self.page_count = "", "", 0
        with transaction.atomic():
            super().save(*args, **kwargs)
            documents.keep_pages_current(self, document)

    @property
    def document_url(self) -> str:
        """Where the attached file is served (``views.SourceFileView``, which asks the policy)."""
        return self.file.url if self.file else ""

    def page_url(self, number: int) -> str:
        """The attached file, opened at its ``number``-th page (a PDF viewer's ``#page=``)."""
        if self.media_type == documents.PDF and number > 1:
            return f"{self.document_url}#page={number}"
        return self.document_url

    @property
    def document_kind(self) -> str:
        return documents.MEDIA_TYPE_NAMES.get(self.media_type, "file")

    @property
    def has_text(self) -> bool:
        return self.page_count > 0 and self.media_type in documents.MEDIA_TYPES_WITH_TEXT


class DocumentPage(models.Model):
    """The text of one page of a source's attached file, read when it was attached
    (``sources/documents.py``): derived data, rebuilt from the file, never edited."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="pages")
    sha256 = models.CharField(max_length=64, help_text="Of the file the text was read from.")
    number = models.PositiveIntegerField(help_text="1 for the file's first page: what #page=N opens.")
    label = models.CharField(max_length=30, help_text='As printed on the page ("iv", "16").')
    text = models.TextField(blank=True)

    objects = VisibilityQuerySet.as_manager()

    visibility_paths = ("source",)

    class Meta:
        ordering = ["source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="sources_documentpage_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="sources_documentpage_number_from_one"),
        ]

    def __str__(self):
        return f"{self.source}, p. {self.label}"

    @property
    def url(self) -> str:
        return self.source.page_url(self.number)


def file_sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class LocatorKind(models.TextChoices):
    PAGE = "page", "Page"
    FOOTNOTE = "footnote", "Footnote"
    PARAGRAPH = "paragraph", "Paragraph"
    SECTION = "section", "Section"
    OTHER = "other", "Other"


# "p. 16", "pp. 13–15 (section …)", "page iv", "p. 15, fn. 42": the (first) page a locator names.
PAGE_LOCATOR = re.compile(r"^\s*(?:pp?\.?|pages?)\s*([0-9]+|[ivxlcdm]+)\b", re.IGNORECASE)


class CitationQuerySet(VisibilityQuerySet):
    def listed_for(self, user):
        """Citations to show under records ``user`` already sees: with their source, and for the
        public only those of public sources.

        Only under such records (prefetched from them): the cited record is not checked again.
        The check of every kind of record that ``public()`` adds cost PostgreSQL 15-20 ms to plan,
        on every page with sources, for nothing the reader's records had not settled."""
        citations = self.select_related("source")
        return citations if is_staff_session(user) else citations.filter(public_q(self.model))

    def public(self):
        """Citations of a public source for a record the public may see."""
        return self.filter(public_q(self.model), self.public_records_q())

    @staticmethod
    def public_records_q() -> Q:
        citable = [model for model in apps.get_models() if issubclass(model, CitableModel)]
        content_types = ContentType.objects.get_for_models(*citable)
        condition = Q(pk__in=[])
        for model in citable:
            # EXISTS rather than IN: the database may then look each cited record up by its key, where
            # IN had it hash every public record of each kind for a page of citations (35 ms a query
            # at 100,000 cases, twice per page of a list).
            public_record = model.objects.public().filter(pk=OuterRef("object_id"))
            condition |= Q(content_type=content_types[model]) & Q(Exists(public_record))
        return condition


@lru_cache(maxsize=1)
def citable_models() -> dict[str, type]:
    """Citable models by the name the API and the site give them (``case``, ``courtruling``, …);
    fixed once apps are loaded."""
    return {m._meta.model_name: m for m in apps.get_models() if issubclass(m, CitableModel)}


def listed_citations(user, lookup: str = "citations") -> Prefetch:
    """The citations shown under records (API and pages): with their sources, public ones for the public."""
    return Prefetch(lookup, queryset=Citation.objects.listed_for(user))


class Citation(BaseModel):
    """Ties a source to any record, with where in the source the fact is found."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations_made", help_text="The source cited."
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    locator = models.CharField(
        max_length=200, blank=True, help_text='Where in the source: "p. 16", "fn. 18", "para. 4".'
    )
    locator_kind = models.CharField(
        max_length=10, choices=LocatorKind.choices, blank=True,
        help_text="What the locator names.",
    )
    note = models.TextField(blank=True, help_text="A note on what the source says there, in our own words.")

    objects = CitationQuerySet.as_manager()

    visibility_paths = ("source",)
    # The cited record decides too: CitationQuerySet.public() checks it in the database.
    visibility_generic_paths = ("record",)

    class Meta:
        ordering = ["source__title", "locator", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id", "locator"], name="sources_citation_unique"
            )
        ]

    def __str__(self):
        return f"{self.source}, {self.locator}" if self.locator else str(self.source)

    @property
    def page_label(self) -> str:
        """The page the locator names, as printed ("p. 16" → "16"); empty when it names none."""
        match = PAGE_LOCATOR.match(self.locator)
        if match:
            return match.group(1)
        bare = self.locator.strip()
        return bare if self.locator_kind == LocatorKind.PAGE and bare.isascii() and bare.isalnum() else ""

    @property
    def page_link(self) -> str:
        """A link that opens the source's attached PDF at the cited page; empty without one."""
        label = self.page_label
        if not (label and self.source.file and self.source.media_type == documents.PDF):
            return ""
        return reverse("site:source-page", args=[self.source.slug, label])


class FigureMetric(models.TextChoices):
    RED_NOTICES_ISSUED = "red_notices_issued", "Red Notices issued"
    RED_NOTICES_IN_CIRCULATION = "red_notices_in_circulation", "Red Notices in circulation"
    DIFFUSIONS_ISSUED = "diffusions_issued", "Diffusions issued"
    PERSONS_RETURNED = "persons_returned", "Persons returned to China"
    EXTRADITIONS = "extraditions", "Extraditions"
    RSDL_DETAINEES = "rsdl_detainees", "Persons held in RSDL"
    LIUZHI_DETAINEES = "liuzhi_detainees", "Persons held in Liuzhi"
    CONVICTION_RATE = "conviction_rate", "Conviction rate"
    ACQUITTALS = "acquittals", "Acquittals"
    INTERPOL_REVIEWS = "interpol_reviews", "INTERPOL reviews"
    NOTICES_REJECTED = "notices_rejected", "Notices refused or cancelled"
    TREATIES_IN_FORCE = "treaties_in_force", "Extradition treaties in force"
    TREATIES_SIGNED_NOT_IN_FORCE = "treaties_signed_not_in_force", "Extradition treaties signed, not in force"
    TREATIES_SIGNED = "treaties_signed", "Extradition treaties signed (in force or not)"
    TREATIES_CONCLUDED = "treaties_concluded", "Extradition treaties concluded in a period"
    OTHER = "other", "Other"


class FigureUnit(models.TextChoices):
    NOTICES = "notices", "Notices"
    PERSONS = "persons", "Persons"
    CASES = "cases", "Cases"
    TREATIES = "treaties", "Treaties"
    PERCENT = "percent", "Percent"
    OTHER = "other", "Other"


class FigureQualifier(models.TextChoices):
    EXACT = "exact", "Exact"
    APPROXIMATE = "approximate", "Approximate"
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"
    YEARLY_AVERAGE = "yearly_average", "Yearly average"
    ESTIMATE = "estimate", "Estimate"
    RANGE = "range", "Range"


# A figure's magnitude: 11 digits before the point and 4 after are 15 significant digits, what a
# double holds exactly. SQLite stores decimals as doubles, and a 16-digit value read back rounded
# past its column's precision and failed every read of the list (found by the API fuzzing).
FIGURE_LIMIT = Decimal("99999999999.9999")
figure_bounds = [MinValueValidator(Decimal(0)), MaxValueValidator(FIGURE_LIMIT)]


class ReportedFigure(PublishableModel):
    """A number as one source reports it. Conflicting figures from different sources coexist."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)
    column_properties = ("value_label", "period_label")  # from its own columns (api/projection.py)

    metric = models.CharField(
        max_length=40, choices=FigureMetric.choices, db_index=True,
        help_text="What is counted, e.g. Red Notices issued; metric_detail says exactly.",
    )
    metric_detail = models.CharField(max_length=300, blank=True, help_text="What exactly is counted.")
    scope_country = CountryField(blank=True, help_text="Empty for a worldwide figure.")
    scope_label = models.CharField(
        max_length=200, blank=True, help_text='A scope that is not one country, e.g. "EU member states".'
    )
    year_from = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The first year of the period counted."
    )
    year_to = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="The last year of the period counted; empty or equal to year_from for one year.",
    )
    as_of, as_of_precision = partial_date_fields(
        "as of", help_text="For a count at a point in time (e.g. notices in circulation): the date it refers to."
    )
    value = models.DecimalField(
        max_digits=16, decimal_places=4, validators=figure_bounds,
        help_text="The figure as the source gives it; for a range, its lower bound.",
    )
    value_high = models.DecimalField(
        max_digits=16, decimal_places=4, null=True, blank=True, validators=figure_bounds,
        help_text="Upper bound of a range.",
    )
    unit = models.CharField(
        max_length=10, choices=FigureUnit.choices,
        help_text="What the value counts.",
    )
    qualifier = models.CharField(
        max_length=16, choices=FigureQualifier.choices, default=FigureQualifier.EXACT,
        help_text="How the source qualifies the figure; a range runs from value to value_high.",
    )
    notes = models.TextField(blank=True, help_text="Notes on the figure, in our own words.")

    as_of_date = PartialDateProperty("as_of")

    class Meta(PublishableModel.Meta):
        ordering = ["metric", "year_from", "as_of", "pk"]
        constraints = [
            partial_date_constraint("as_of"),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_from__isnull=False, year_to__gte=F("year_from")),
                name="sources_reportedfigure_period_ordered",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=FIGURE_LIMIT)
                & (Q(value_high__isnull=True) | Q(value_high__lte=FIGURE_LIMIT)),
                name="sources_reportedfigure_value_in_bounds",
                violation_error_message=f"A figure lies between 0 and {FIGURE_LIMIT:,}.",
            ),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value")),
                name="sources_reportedfigure_range_ordered",
                violation_error_message="The upper bound cannot be below the value.",
            ),
            models.CheckConstraint(
                condition=~Q(qualifier=FigureQualifier.RANGE) | Q(value_high__isnull=False),
                name="sources_reportedfigure_range_has_upper_bound",
                violation_error_message="A range needs an upper bound.",
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} ({self.period_label}): {self.value_label}"

    def get_absolute_url(self):
        return f"{reverse('site:figures')}#metric-{self.metric}"

    @property
    def period_label(self) -> str:
        if self.year_from and self.year_to and self.year_to != self.year_from:
            return f"{self.year_from}–{self.year_to}"
        if self.year_from:
            return str(self.year_from)
        return f"as of {self.as_of_date}" if self.as_of_date else "undated"

    @property
    def value_label(self) -> str:
        def fmt(number):
            return f"{Decimal(number).normalize():,f}"  # an int before the record is read back

        text = f"{fmt(self.value)}–{fmt(self.value_high)}" if self.value_high is not None else fmt(self.value)
        prefix = {
            FigureQualifier.APPROXIMATE: "about ",
            FigureQualifier.AT_LEAST: "at least ",
            FigureQualifier.AT_MOST: "at most ",
            FigureQualifier.ESTIMATE: "an estimated ",
        }.get(self.qualifier, "")
        suffix = "%" if self.unit == FigureUnit.PERCENT else ""
        return f"{prefix}{text}{suffix}"
