"""Bulk import of persons, cases and INTERPOL notices from CSV or XLSX (django-import-export).

Columns are the field names below; related records are given by their stable ids (persons,
affiliations, cases and treaties by slug, separated by ";"), countries by ISO code, partial dates
as 2021, 2021-07 or 2021-07-19. Every row is checked by the model's own validation; one bad row
and the whole file is refused, each error naming its row and column. Imported records are drafts.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, instance_loaders, resources, widgets

from extraditions.partial_dates import PartialDate
from extraditions.search import indexing as search_indexing
from treaties.models import Treaty

from .models import Affiliation, Case, InterpolNotice, Person

LIST_SEPARATOR = ";"


class PartialDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        try:
            return PartialDate.parse(str(value).strip())
        except ValueError:
            raise ValueError("Enter the date as 2021, 2021-07 or 2021-07-19.") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class CountryListWidget(widgets.Widget):
    """Several ISO codes in one cell: "CN;TW"."""

    def clean(self, value, row=None, **kwargs):
        return [code.strip().upper() for code in str(value or "").split(LIST_SEPARATOR) if code.strip()]

    def render(self, value, obj=None, **kwargs):
        return LIST_SEPARATOR.join(country.code for country in value or [])


class PartialDateColumn(fields.Field):
    """A partial date read and written through its property; errors are reported under the column."""

    def __init__(self, column: str, prop: str):
        super().__init__(attribute=column, column_name=column, widget=PartialDateWidget())
        self.prop = prop

    def get_value(self, instance):
        return getattr(instance, self.prop)

    def save(self, instance, row, is_m2m=False, **kwargs):
        setattr(instance, self.prop, self.clean(row, **kwargs))


def partial_date(prop: str, column: str) -> PartialDateColumn:
    return PartialDateColumn(column, prop)


def by_slug(model, column: str, attribute: str | None = None) -> fields.Field:
    return fields.Field(attribute=attribute or column, column_name=column, widget=widgets.ForeignKeyWidget(model, field="slug"))


class ListField(fields.Field):
    """A many-to-many column; the records it set are remembered on the instance, so that the
    import's report of the row reads them without a query of its own."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        cleaned = self.clean(row, **kwargs)
        if self.readonly or cleaned is None or not is_m2m:
            return super().save(instance, row, is_m2m=is_m2m, **kwargs)
        related = list(cleaned)
        getattr(instance, self.attribute).set(related)
        self.remember(instance, related)

    def remember(self, instance, related: list) -> None:
        manager = getattr(instance, self.attribute)
        remembered = manager.model.objects.none()  # never run: its results are given
        remembered._result_cache, remembered._prefetch_done = related, True
        instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), manager.prefetch_cache_name: remembered}


def slugs(model, column: str, attribute: str | None = None) -> fields.Field:
    return ListField(
        attribute=attribute or column, column_name=column,
        widget=widgets.ManyToManyWidget(model, field="slug", separator=LIST_SEPARATOR),
    )


class DraftResource(resources.ModelResource):
    """What every import shares: model validation per row, one transaction, all or nothing."""

    class Meta:
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        # The file's existing records are read in one query, not one per row.
        instance_loader_class = instance_loaders.CachedInstanceLoader

    def import_data_inner(self, dataset, *args, **kwargs):
        # Each record touched is indexed once, in batches, by the job worker once the import has
        # committed, rather than once per row inside it (a 10,000-row file took minutes); its
        # history entry is written with the others in a few statements, not one per row.
        self.saved: list = []
        self.unique_values = UniqueValues(self._meta.model, dataset)
        with search_indexing.deferred(in_the_worker=True):
            result = super().import_data_inner(dataset, *args, **kwargs)
            self.write_history()
        return result

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's validation, with its unique fields judged against the values the file's
        records hold, read once for the whole file (two queries a row, before)."""
        errors = dict(import_validation_errors or {})
        if validate_unique:
            for name, message in self.unique_values.clashes(instance, self.current_row).items():
                errors.setdefault(name, []).append(message)
        super().validate_instance(instance, errors, validate_unique=False)

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        self.current_row = row

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.skip_history_when_saving = True  # simple_history's flag: written by write_history
        instance.history_is_new = instance._state.adding

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        del instance.skip_history_when_saving
        instance._history_date = timezone.now()  # when it was saved, as simple_history records it
        self.saved.append(instance)

    def save_m2m(self, instance, row, **kwargs):
        super().save_m2m(instance, row, **kwargs)
        if instance.history_is_new:  # a new record's list the file left out is empty
            for field in self.get_import_fields():
                if isinstance(field, ListField) and field.column_name not in row:
                    field.remember(instance, [])

    def write_history(self) -> None:
        """Each saved record's history entry (created or changed, by whom, when), as simple_history
        would have written it on save."""
        history = self._meta.model.history
        for is_new in (True, False):
            records = [record for record in self.saved if record.history_is_new == is_new]
            if records:
                history.bulk_history_create(records, batch_size=1000, update=not is_new)
        self.saved = []


class UniqueValues:
    """The values of a model's unique fields that the file gives, as the import goes: those the
    database held for the values of the file's columns, read in one query per field, and those the
    file's rows have taken since. A value the file changed on its way in (a widget's cleaning) is
    asked of the database on its own."""

    def __init__(self, model, dataset):
        self.model = model
        headers = set(dataset.headers or ())
        self.fields = [f for f in model._meta.concrete_fields if f.unique and not f.primary_key and f.name in headers]
        # value -> what holds it: a stored record's key, or the new record of an earlier row
        self.holders: dict[str, dict] = {field.name: {} for field in self.fields}
        self.asked: dict[str, set] = {field.name: set() for field in self.fields}  # values the database was asked for
        for field in self.fields:
            self.read(field, {self.key(field, value) for value in dataset[field.name] if value not in (None, "")})

    @staticmethod
    def key(field, value):
        """The value as the column holds it (a UUID, not its text): the form both sides compare in."""
        try:
            return field.to_python(value)
        except ValidationError:
            return value  # the model's validation reports it

    def read(self, field, values) -> None:
        values = [value for value in values if value not in self.asked[field.name]]
        self.asked[field.name].update(values)
        records = self.model._base_manager.order_by()
        for start in range(0, len(values), 1000):
            found = records.filter(**{f"{field.name}__in": values[start:start + 1000]}).values_list(field.attname, "pk")
            self.holders[field.name].update(found)

    def clashes(self, instance, row) -> dict[str, str]:
        """For each unique field whose value another record holds: the model's message for it.
        Each value is then taken by ``instance`` (a new record by the record itself: its row's
        instance, kept for the whole import)."""
        clashes = {}
        for field in self.fields:
            value = getattr(instance, field.attname)
            if row.get(field.name) in (None, "") or value in (None, ""):
                # Not given by this row: the record's own value, or for a new record its default (a
                # fresh random uid), which the database's unique constraint stands behind.
                continue
            value = self.key(field, value)
            holders = self.holders[field.name]
            if value not in holders and value not in self.asked[field.name]:
                self.read(field, [value])
            holder = holders.get(value)
            if holder is None or holder is instance or (instance.pk is not None and holder == instance.pk):
                holders[value] = instance.pk if instance.pk is not None else instance
            else:
                clashes[field.name] = instance.unique_error_message(self.model, (field.name,)).messages[0]
        return clashes


class PersonResource(DraftResource):
    citizenships = fields.Field(attribute="citizenships", column_name="citizenships", widget=CountryListWidget())
    affiliations = slugs(Affiliation, "affiliations")
    asylum_since = partial_date("asylum_since_date", "asylum_since")

    class Meta(DraftResource.Meta):
        model = Person
        import_id_fields = ("slug",)
        fields = (
            "slug", "name", "name_original", "original_script", "is_pseudonym", "is_unnamed", "citizenships",
            "affiliations", "occupation", "asylum_status", "asylum_country", "asylum_since", "current_situation",
            "biography",
        )


class CaseResource(DraftResource):
    started = partial_date("started", "started")
    treaty = by_slug(Treaty, "treaty")
    persons = slugs(Person, "persons")

    class Meta(DraftResource.Meta):
        model = Case
        import_id_fields = ("slug",)
        fields = (
            "slug", "title", "kind", "requesting_state", "host_country", "started", "persons", "group_size",
            "group_description", "charges", "charge_category", "outcome", "aftermath", "aftermath_detail", "treaty",
            "summary",
        )


class InterpolNoticeResource(DraftResource):
    """Notices have no slug: a row with a ``uid`` updates that notice, a row without one adds a notice."""

    subject = by_slug(Person, "subject")
    issued = partial_date("issued", "issued")
    cancelled = partial_date("cancelled", "cancelled")
    cases = slugs(Case, "cases")

    class Meta(DraftResource.Meta):
        model = InterpolNotice
        import_id_fields = ("uid",)
        fields = (
            "uid", "kind", "subject", "subject_description", "requesting_bureau", "issued", "is_public", "status",
            "cancelled", "cancellation_reason", "cases", "notes",
        )

    def get_instance(self, instance_loader, row):
        return super().get_instance(instance_loader, row) if row.get("uid") else None
