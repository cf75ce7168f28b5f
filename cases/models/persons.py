"""Persons sought by China, their names in every script, and their affiliations."""

from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from extraditions.caching import DataVersionQuerySet
from extraditions.fields import CountryField
from extraditions.indexes import PostgreSQLGinIndex, contains_search_index, public_list_index
from extraditions.models import BaseModel, PublishableModel
from extraditions.partial_dates import PartialDateProperty, partial_date_constraint, partial_date_fields


class Script(models.TextChoices):
    LATIN = "latin", "Latin"
    HAN_SIMPLIFIED = "han_simplified", "Chinese (simplified)"
    HAN_TRADITIONAL = "han_traditional", "Chinese (traditional)"
    UYGHUR_ARABIC = "uyghur_arabic", "Uyghur (Arabic script)"
    TIBETAN = "tibetan", "Tibetan"
    CYRILLIC = "cyrillic", "Cyrillic"
    OTHER = "other", "Other"


class Affiliation(BaseModel):
    """A group or affiliation that explains why a person is targeted (Uyghur, Falun Gong, …)."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    slug = models.SlugField(
        max_length=60, unique=True, help_text="Stable id, used in the affiliation's URL and in filters, e.g. uyghur."
    )
    name = models.CharField(max_length=100, unique=True, help_text="E.g. Uyghur, Falun Gong practitioner.")
    description = models.TextField(blank=True, help_text="Who the group are, in our own words.")

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class AsylumStatus(models.TextChoices):
    NONE = "none", "None"
    ASYLUM_SEEKER = "asylum_seeker", "Asylum seeker"
    REFUGEE = "refugee", "Recognised refugee"
    OTHER_PROTECTION = "other_protection", "Other protection"
    DENIED = "denied", "Asylum denied"
    UNKNOWN = "unknown", "Unknown"


class CurrentSituation(models.TextChoices):
    DETAINED_ABROAD = "detained_abroad", "Detained abroad"
    RELEASED = "released", "Released"
    AT_LIBERTY_ABROAD = "at_liberty_abroad", "At liberty abroad"
    RETURNED = "returned", "Returned to China"
    IMPRISONED_IN_CHINA = "imprisoned_in_china", "Imprisoned in China"
    EXECUTED = "executed", "Executed"
    DIED_IN_CUSTODY = "died_in_custody", "Died in custody"
    SAFE_THIRD_COUNTRY = "safe_third_country", "Safe in a third country"
    UNKNOWN = "unknown", "Unknown"


class Person(PublishableModel):
    """One real person, whatever the spellings of their name in the sources."""

    slug = models.SlugField(
        max_length=120, unique=True,
        help_text="Stable id, used in the person's URL: the romanised name (qiao-jianjun), or a description for an "
        "unnamed person.",
    )
    name = models.CharField(
        "primary name", max_length=200, db_index=True, help_text="Romanised; for a pseudonymous person, the pseudonym."
    )
    name_original = models.CharField(
        "name in original script", max_length=200, blank=True,
        help_text="The name in its own script (乔建军); never shown to the public for a pseudonymous person.",
    )
    original_script = models.CharField(
        max_length=20, choices=Script.choices, blank=True, help_text="The script of the name in original script."
    )
    is_pseudonym = models.BooleanField(
        "pseudonymous", default=False, help_text="The name is a pseudonym protecting the person."
    )
    is_unnamed = models.BooleanField(
        "unnamed", default=False, help_text="The sources do not name the person; the name is a description."
    )
    citizenships = CountryField(
        multiple=True, blank=True, help_text="Every citizenship the person holds, as ISO 3166-1 alpha-2 codes."
    )
    affiliations = models.ManyToManyField(
        Affiliation, blank=True, related_name="persons",
        help_text="The groups that explain why the person is targeted (Uyghur, Falun Gong practitioner, …).",
    )
    occupation = models.CharField(max_length=200, blank=True, help_text="As the sources give it.")
    asylum_status = models.CharField(
        max_length=20, choices=AsylumStatus.choices, blank=True,
        help_text="Protection sought or obtained abroad; empty when the sources do not say.",
    )
    asylum_country = CountryField(
        "asylum granted or examined by", blank=True, help_text="The state that granted or is examining the asylum."
    )
    asylum_by_unhcr = models.BooleanField(
        "UNHCR mandate", default=False,
        help_text="The protection was granted or is examined by UNHCR, under its mandate.",
    )
    asylum_since, asylum_since_precision = partial_date_fields(
        "asylum since", help_text="Since when the person has had that asylum status."
    )
    current_situation = models.CharField(
        max_length=20, choices=CurrentSituation.choices, default=CurrentSituation.UNKNOWN, db_index=True,
        help_text="The person's situation as last reported.",
    )
    biography = models.TextField(blank=True, help_text="A short biography in our own words.")
    visibility_decided = models.BooleanField(
        "visibility decided",
        default=False,
        help_text="An editor has decided whether this person's record may be public. Needed to publish.",
    )

    asylum_since_date = PartialDateProperty("asylum_since")

    publish_needs_summary = "biography"

    class Meta(PublishableModel.Meta):
        ordering = ["name", "pk"]
        indexes = [
            public_list_index("name", descending=False, name="cases_person_public_name"),
            *contains_search_index("person", "name", "name_original", "slug"),
        ]
        permissions = [("merge_person", "Can merge duplicate records of a person")]
        constraints = [
            partial_date_constraint("asylum_since"),
            models.CheckConstraint(
                condition=~Q(is_pseudonym=True, is_unnamed=True),
                name="cases_person_not_pseudonym_and_unnamed",
                violation_error_message="A person is either pseudonymous or unnamed, not both.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.name_original})" if self.name_original else self.name

    def get_absolute_url(self):
        return reverse("site:person-detail", args=[self.slug])

    @property
    def public_label(self) -> str:
        """The name only: a pseudonymous person's other names never go into a label."""
        return self.name


class AliasKind(models.TextChoices):
    TRANSLITERATION = "transliteration", "Transliteration"
    ALSO_KNOWN_AS = "also_known_as", "Also known as"
    LEGAL_NAME = "legal_name", "Legal name"
    PSEUDONYM = "pseudonym", "Pseudonym"
    SPELLING_VARIANT = "spelling_variant", "Spelling variant found in a source"


class Alias(BaseModel):
    """Another name or spelling of a person, and which source used it."""

    label_is_public = True  # its name holds nobody's other names (visibility.label)

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", help_text="The person known by this name."
    )
    name = models.CharField(max_length=200, db_index=True, help_text="The name or spelling, as written.")
    script = models.CharField(
        max_length=20, choices=Script.choices, default=Script.LATIN, help_text="The script the name is written in."
    )
    kind = models.CharField(
        max_length=20, choices=AliasKind.choices,
        help_text="What sort of name it is.",
    )
    source = models.ForeignKey(
        "sources.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="aliases_used",
        help_text="The source that used the name.",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Where the spelling is used, e.g. page.")

    visibility_paths = ("person",)
    visibility_waivers = {"source": "the source that used the name, shown only when the source is visible"}
    # A pseudonym protects the person: the public never sees their other names.
    public_condition = Q(person__is_pseudonym=False) | Q(kind=AliasKind.PSEUDONYM)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["person", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="cases_alias_unique_per_person")]
        indexes = contains_search_index("alias", "name")

    def __str__(self):
        return self.name


class PersonName(models.Model):
    """A form a person is found by: each of their names in every script and in pinyin.

    Derived from the person and their aliases, rebuilt whenever they change (see cases/search.py);
    never edited by hand. ``is_public`` says whether the public may find the person by it: not
    by a pseudonymous person's other names.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_forms")
    name = models.CharField(max_length=300, help_text='The form: "乔建军", "qiao jian jun".')
    derived_from = models.CharField(max_length=300, help_text="The name as entered.")
    kind = models.CharField(max_length=12)
    key = models.CharField(max_length=300, db_index=True, help_text="Folded, without spaces or punctuation.")
    folded = models.CharField(max_length=300, help_text="Folded, with spaces: compared by trigram similarity.")
    is_public = models.BooleanField(default=True)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        ordering = ["person", "kind", "name", "pk"]
        # Misspelt names are matched by trigram similarity (docs/search.md; SQLite compares in Python).
        indexes = [
            PostgreSQLGinIndex(OpClass(F(column), name="gin_trgm_ops"), name=f"cases_personname_{column}_trgm")
            for column in ("folded", "key")
        ]

    def __str__(self):
        return self.name
