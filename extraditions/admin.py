"""Shared admin building blocks: history, partial-date columns, citations, publication."""

import copy
import csv
import functools

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import User
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .forms import with_partial_dates
from .models import Job, PublicationStatus, RestrictedRecordView, Visibility
from .publication import TransitionRefused, publication_state, publish_permission, transition, transition_errors
from .roles import is_administrator
from .tokens import DEFAULT_DAYS, MAX_DAYS, ApiToken, issue_problems, issue_token, revoke_tokens
from .visibility import log_restricted_among, log_restricted_view

admin.site.site_header = "Extraditions tracker — staff workspace"
admin.site.site_title = "Extraditions tracker"
admin.site.index_title = "Cases, persons, treaties and sources"


def partial_date_column(prop: str, label: str, date_field: str | None = None):
    """A list column showing a partial date at its precision, sortable by the stored date."""

    @admin.display(description=label, ordering=date_field or f"{prop}_on")
    def column(obj):
        value = getattr(obj, prop)
        return str(value) if value else "—"

    column.__name__ = f"{prop}_display"
    return column


@functools.cache
def choice_column(model, name: str):
    """A list column for a field with choices (a kind, a country), its labels looked up once.

    The admin's own display asks the field for its flattened choices for every cell: with
    countries (250 choices) in two columns that was a third of the case list's time."""
    field = model._meta.get_field(name)
    labels = dict(field.flatchoices)

    @admin.display(description=capfirst(field.verbose_name), ordering=name)
    def column(obj):
        return labels.get(getattr(obj, field.attname))  # None: the admin's sign for "empty"

    column.__name__ = name  # the same CSS class (field-<name>) as the plain column
    return column


def has_choices(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(getattr(field, "choices", None)) and not field.is_relation and not getattr(field, "multiple", False)


class CitationInline(GenericTabularInline):
    # By name, as CitableModel's relation is: infrastructure does not import the domain apps.
    model = apps.get_model("sources", "Citation")
    ct_field = "content_type"
    ct_fk_field = "object_id"
    fields = ("source", "locator", "locator_kind", "note")
    autocomplete_fields = ("source",)
    extra = 0


class ConcurrencyGuardForm(forms.ModelForm):
    """Refuses to save over a change someone else saved since this form was opened.

    The form carries the version (``updated_at``) it was opened at; if the record has changed
    since, the save is refused with who changed it and when, and nothing is overwritten.
    """

    edited_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.updated_at:
            self.fields["edited_version"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        opened_at = cleaned.get("edited_version")
        if self.instance.pk and opened_at:
            current = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("updated_at", flat=True).first()
            if current is not None and current.isoformat() != opened_at:
                last = self.instance.history.order_by("-history_date").select_related("history_user").first()
                who = f" by {last.history_user}" if last and last.history_user else ""
                raise forms.ValidationError(
                    f"This record was changed{who} at {current:%Y-%m-%d %H:%M:%S} UTC while you were editing it. "
                    "Nothing was saved: copy your changes, reload the page to see theirs, and make yours again.",
                    code="edit_conflict",
                )
        return cleaned


SEARCH_IDS_LISTED = 5000


class BaseAdmin(SimpleHistoryAdmin):
    """History (who changed what, when, with a diff and revert), read-only bookkeeping, no lost
    edits, a log of views of restricted records, and CSV export of a selection."""

    form = ConcurrencyGuardForm
    readonly_fields = ("uid", "created_at", "updated_at")
    list_per_page = 50
    # Counting a whole large table on every filtered list page is slow; "Show all" counts on demand.
    show_full_result_count = False
    actions = ("export_csv",)

    def action_checkbox(self, obj):
        """Django's row checkbox, the same HTML written directly: rendered as a form widget through
        the template engine, it took a third of the staff case list's time."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME, str(obj.pk), label,
        )

    def get_list_display(self, request):
        return [
            choice_column(self.model, name) if isinstance(name, str) and has_choices(self.model, name) else name
            for name in super().get_list_display(request)
        ]

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in one of the search fields, case-insensitive), as a list of
        ids found once. The count, the date hierarchy and the page each ran Django's search again,
        joined to every searched table (a case's persons, their aliases), DISTINCT over every
        column: 1.8 s for a name among 100,000 cases, now 0.1 s. The fields are grouped by the
        table they are in, each group a query of its own (UNION) that can use its indexes
        (extraditions/indexes.py: contains_search_index). A common word that most records have
        is left to Django's way, which reads the tables once per question instead of listing ids.
        Fields with a lookup prefix (^, =, @) keep Django's way too."""
        fields = [str(field) for field in self.get_search_fields(request)]
        if not (fields and search_term) or any(field[:1] in "^=@" for field in fields):
            return super().get_search_results(request, queryset, search_term)
        also = self.also_found(request, search_term)
        # A single word's ids are read straight from its UNION, which stops at the cap; words
        # together need their intersection.
        first, *others = self.word_matches(search_term, fields)
        found = first
        if others:
            found = self.model._default_manager.order_by().filter(pk__in=first)
            for word in others:
                found = found.filter(pk__in=word)
            found = found.values("pk")
        if also is not None:
            found = found.union(self.model._default_manager.filter(pk__in=also).order_by().values("pk"), all=True)
        found = [row["pk"] for row in found.order_by()[: SEARCH_IDS_LISTED + 1]]
        if len(found) <= SEARCH_IDS_LISTED:
            return queryset.filter(pk__in=set(found)), False
        listed, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if also is not None:
            listed = listed | queryset.filter(pk__in=also)  # never beyond the list's own records
        return listed, may_have_duplicates

    def also_found(self, request, search_term: str) -> list[int] | None:
        """Ids of records a search finds besides its words in the search fields (a person by the
        forms of their names)."""
        return None

    def word_matches(self, search_term: str, fields: list[str]) -> list:
        """For each word of ``search_term``, the ids of the records with it in one of ``fields``
        (a UNION of one query per table, each id possibly more than once)."""
        records = self.model._default_manager.order_by()
        tables: dict[str, list[str]] = {}
        for field in fields:
            tables.setdefault(field.rpartition("__")[0], []).append(field)
        words = []
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            parts = [
                records.filter(Q.create([(f"{field}__icontains", word) for field in group], connector=Q.OR)).values("pk")
                for group in tables.values()
            ]
            # order_by(): a UNION otherwise takes the model's ordering, whose columns it has not
            words.append(parts[0].union(*parts[1:], all=True).order_by() if len(parts) > 1 else parts[0])
        return words or [records.values("pk")]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("form", with_partial_dates(self.form, self.model))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        # The version the form was opened at travels with it, hidden.
        first_name, first_options = fieldsets[0]
        first_fields = [field for field in first_options["fields"] if field != "edited_version"]
        return ((first_name, {**first_options, "fields": (*first_fields, "edited_version")}), *fieldsets[1:])

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            log_restricted_among(request, self.model, changelist.result_list, RestrictedRecordView.Channel.ADMIN)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            log_restricted_view(request, self.get_object(request, unquote(object_id)), RestrictedRecordView.Channel.ADMIN)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Export selected to CSV")
    def export_csv(self, request, queryset):
        fields = list(self.model._meta.concrete_fields)
        name = self.model._meta.model_name

        def rows():
            buffer = _LineBuffer()
            writer = csv.writer(buffer)
            writer.writerow([f.name for f in fields])
            yield buffer.pop()
            for record in queryset.iterator(chunk_size=500):
                writer.writerow([_safe_cell(f.value_to_string(record)) for f in fields])
                yield buffer.pop()

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-selection.csv"'
        return response


class _LineBuffer:
    def __init__(self):
        self.lines = []

    def write(self, line):
        self.lines.append(line)

    def pop(self) -> str:
        text, self.lines = "".join(self.lines), []
        return text


def _safe_cell(text: str) -> str:
    # A cell starting like a formula would run in a spreadsheet.
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


class CitableAdmin(BaseAdmin):
    inlines = [CitationInline]


PUBLICATION_FIELDSET = ("Publication", {"fields": (("publication_status", "visibility"),)})
BOOKKEEPING_FIELDSET = ("Record", {"fields": ("uid", ("created_at", "updated_at")), "classes": ("collapse",)})


class PublishableForm(ConcurrencyGuardForm):
    """Only an editor changes what only an editor may change (extraditions/publication.py)."""

    user = None  # set by the admin that builds the form: whose permissions the publication service checks

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        # On a new record, "before" is what the record would be by default.
        before = publication_state(model if self.instance.pk is None else model._default_manager.get(pk=self.instance.pk))
        pending = copy.copy(self.instance)  # the record as it would be saved, to check it
        for name in {f.name for f in model._meta.concrete_fields if not f.primary_key} & set(cleaned):
            setattr(pending, name, cleaned[name])
        for field, message in transition_errors(before, pending, self.user).items():
            if field in self.fields:
                self.add_error(field, message + (" Save what is missing first, then publish." if "Not ready" in message else ""))
            else:
                self.add_error(None, message)
        return cleaned


class PublishableInlineMixin:
    """An inline of publishable records obeys the same editor-only rules as their own pages."""

    form = PublishableForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset


class PublishableAdmin(CitableAdmin):
    """The review workflow as bulk actions: submit for review, publish (when nothing is missing),
    unpublish, restrict, lift a restriction; each offered only to the roles allowed to do it."""

    form = PublishableForm
    list_filter = ("publication_status", "visibility")
    actions = ("submit_for_review", "publish", "unpublish", "restrict", "make_public", "export_csv")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(publish_permission(self.model))

    def _set(self, request, queryset, message, **values):
        # One by one through the publication service, so that history records each change and its author.
        count = 0
        for obj in queryset:
            try:
                transition(obj, request.user, **values)
                count += 1
            except TransitionRefused as refused:
                reason = str(refused).removeprefix("Not ready to publish: ")
                self.message_user(request, f"Not {message} — {obj}: {reason}", messages.WARNING)
        if count:
            self.message_user(request, f"{count} record(s) {message}.")

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._set(request, queryset.exclude(publication_status=PublicationStatus.PUBLISHED), "submitted for review",
                  publication_status=PublicationStatus.IN_REVIEW)

    @admin.action(description="Publish selected", permissions=["publish"])
    def publish(self, request, queryset):
        self._set(request, queryset, "published", publication_status=PublicationStatus.PUBLISHED)

    @admin.action(description="Unpublish selected (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._set(request, queryset, "returned to draft", publication_status=PublicationStatus.DRAFT)

    @admin.action(description="Restrict selected", permissions=["change"])
    def restrict(self, request, queryset):
        values = {"visibility": Visibility.RESTRICTED}
        if hasattr(self.model, "visibility_decided") and self.has_publish_permission(request):
            values["visibility_decided"] = True
        self._set(request, queryset, "restricted", **values)

    @admin.action(description="Make selected public (lift the restriction)", permissions=["publish"])
    def make_public(self, request, queryset):
        values = {"visibility": Visibility.PUBLIC}
        if hasattr(self.model, "visibility_decided"):
            values["visibility_decided"] = True
        self._set(request, queryset, "made public", **values)


class WrittenByTheApplicationAdmin(admin.ModelAdmin):
    """Rows the application writes (a log, a queue): read in the workspace, never added, edited or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RestrictedRecordView)
class RestrictedRecordViewAdmin(WrittenByTheApplicationAdmin):
    """Read-only: the log is written by the application, never by hand."""

    list_display = ("viewed_at", "user", "record_label", "content_type", "channel", "api_token", "path")
    list_filter = ("channel", "content_type")
    search_fields = ("user__username", "record_label", "api_token__prefix", "api_token__name")
    date_hierarchy = "viewed_at"
    list_select_related = ("user", "content_type", "api_token")


@admin.register(Job)
class JobAdmin(WrittenByTheApplicationAdmin):
    """The job queue as the worker left it (extraditions/jobs.py): what ran, what failed and why."""

    list_display = ("enqueued_at", "short_name", "status", "attempts", "finished_at", "error_line")
    list_filter = ("status", "name")
    search_fields = ("name", "arguments", "error", "task_id")
    date_hierarchy = "enqueued_at"
    readonly_fields = ("task_id", "name", "arguments", "status", "attempts", "enqueued_at", "started_at", "finished_at", "error")
    actions = ("run_again",)

    @admin.display(description="job", ordering="name")
    def short_name(self, job):
        return job.short_name

    @admin.display(description="last error")
    def error_line(self, job):
        return job.error.strip().splitlines()[-1][:200] if job.error else ""

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("extraditions.change_job")  # the action, not the form

    @admin.action(description="Run the selected jobs again", permissions=["change"])
    def run_again(self, request, queryset):
        jobs = list(queryset.exclude(status__in=[Job.Status.QUEUED, Job.Status.SCHEDULED, Job.Status.RUNNING]))
        for job in jobs:
            job.run_again()
        self.message_user(request, f"{len(jobs)} job{'s' if len(jobs) != 1 else ''} queued again.")


class ApiTokenIssueForm(forms.ModelForm):
    days = forms.IntegerField(
        label="Valid for (days)", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS,
        help_text=f"At most {MAX_DAYS}. Issue a new token before this one expires.",
    )

    class Meta:
        model = ApiToken
        fields = ("user", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True, is_staff=True).order_by("username")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for field, message in issue_problems(cleaned["user"], cleaned["name"], cleaned["days"]).items():
                self.add_error(field, message)
        return cleaned


class TokenStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked"))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators only: issue a token (its secret is shown on the next page, once), list and
    revoke. Nothing shows a secret again: the database does not hold it (extraditions/tokens.py)."""

    list_display = ("name", "user", "prefix", "state", "expires_at", "last_used_at", "created_at", "created_by", "revoked_at")
    list_filter = (TokenStateFilter, "user")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user", "created_by")
    actions = ("revoke",)
    shown = ("name", "user", "prefix", "created_at", "created_by", "expires_at", "last_used_at", "revoked_at", "revoked_by")

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return is_administrator(request.user)

    def has_revoke_permission(self, request):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a token is issued and revoked, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # revoked instead: the list is the record of who was given access

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenIssueForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("user", "name", "days") if obj is None else self.shown

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.shown

    @admin.display(description="state")
    def state(self, token):
        if token.revoked_at:
            return "revoked"
        return "expired" if token.expires_at <= timezone.now() else "active"

    def save_model(self, request, obj, form, change):
        issued, secret = issue_token(form.cleaned_data["user"], form.cleaned_data["name"], form.cleaned_data["days"], request.user)
        for field in ApiToken._meta.concrete_fields:  # the form's instance becomes the token issued
            setattr(obj, field.attname, getattr(issued, field.attname))
        obj._state.adding, obj._state.db = False, issued._state.db
        obj.issued_secret = secret  # on this object only, for the next page; never saved

    def response_add(self, request, obj, post_url_continue=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": "API token issued", "token": obj, "secret": obj.issued_secret,
        }
        return TemplateResponse(request, "admin/extraditions/apitoken/issued.html", context)

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        count = revoke_tokens(queryset, request.user)
        self.message_user(request, f"{count} token(s) revoked: they no longer open the API.")

from . import changes_admin  # noqa: E402,F401  (pending changes: extraditions/changes_admin.py)
