"""Bulk import of persons, cases and INTERPOL notices from CSV or XLSX (django-import-export).

Columns are the field names below; related records are given by their stable ids (persons,
affiliations, cases and treaties by slug, separated by ";"), countries by ISO code, partial dates
as 2021, 2021-07 or 2021-07-19. Every row is checked by the model's own validation; one bad row
and the whole file is refused, each error naming its row and column. Imported records are drafts.
"""

from __future__ import annotations

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


def slugs(model, column: str, attribute: str | None = None) -> fields.Field:
    return fields.Field(
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

    def import_data_inner(self, *args, **kwargs):
        # Inside the import's transaction: each record touched is indexed once, in batches, at the
        # end, rather than once per row (a 10,000-row file took minutes); its history entry is
        # written with the others in a few statements, not with a statement of its own per row.
        self.saved: list = []
        with search_indexing.deferred():
            result = super().import_data_inner(*args, **kwargs)
            self.write_history()
        return result

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance.skip_history_when_saving = True  # simple_history's flag: written by write_history
        instance.history_is_new = instance._state.adding

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        del instance.skip_history_when_saving
        instance._history_date = timezone.now()  # when it was saved, as simple_history records it
        self.saved.append(instance)

    def write_history(self) -> None:
        """Each saved record's history entry (created or changed, by whom, when), as simple_history
        would have written it on save."""
        history = self._meta.model.history
        for is_new in (True, False):
            records = [record for record in self.saved if record.history_is_new == is_new]
            if records:
                history.bulk_history_create(records, batch_size=1000, update=not is_new)
        self.saved = []


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
