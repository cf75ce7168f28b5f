"""The base view every resource of the API is built on.

A resource is a :class:`RecordViewSet` subclass that names its serializer, filter set (with its
facets), search fields, orderings, and says in :meth:`RecordViewSet.optimise` which of its app's
read shapes (``<app>/reads.py``) to fetch the page in (so that a list costs the same number of
queries whatever its size). This class does the rest: visibility, strict query parameters,
facets, keyset pagination, streamed CSV, conditional GET and atomic writes.
"""

from __future__ import annotations

import hashlib
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, RestrictedError
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.text import slugify
from rest_framework import exceptions, viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from extraditions.models import RestrictedRecordView
from extraditions.search.backends import ranked
from extraditions.search.fields import in_fields
from extraditions.search.models import SearchDocument
from extraditions.visibility import hide_invisible_links, log_restricted_among, log_restricted_view

from .filters import FilterBackend, ListParametersBackend, OrderingBackend, QueryFilter, requested_facets
from .pagination import KeysetPagination
from .permissions import RecordPermission
from .projection import RowPlan, records_alone
from .renderers import CSVRenderer, ProblemJSONRenderer, csv_columns, csv_lines
from .serializers import stable_id_field

# Every record can be sorted by when it was last changed or created.
CHANGE_ORDERINGS = {"updated": "updated_at", "created": "created_at"}


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the record."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = (
        "The record has changed since you read it (its ETag differs from If-Match): read it again, "
        "then make your change on the current version."
    )
    default_code = "precondition_failed"


class ApiViewMixin:
    """What every API view shares: errors as problem details, caches told what a response varies on."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response) and response.status_code >= 400:
            response.accepted_renderer = ProblemJSONRenderer()
            response.accepted_media_type = ProblemJSONRenderer.media_type
            response.renderer_context = self.get_renderer_context()
        # Staff see more than the public: a shared cache must not mix their answers.
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


class RecordViewSet(ApiViewMixin, viewsets.ModelViewSet):
    queryset = None  # Model.objects.all(): names the model; get_queryset decides what a user sees
    detail_serializer_class = None
    filter_backends = [FilterBackend, QueryFilter, OrderingBackend, ListParametersBackend]
    pagination_class = KeysetPagination
    permission_classes = [RecordPermission]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    lookup_url_kwarg = "id"

    search_fields: tuple[str, ...] = ()
    ordering_fields: dict[str, str] = CHANGE_ORDERINGS
    default_ordering: tuple[str, ...] = ("-updated",)
    facets: dict = {}  # the filter set's: what ?facet= may count by
    csv_chunk_size = 1000

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        filterset_class = getattr(cls, "filterset_class", None)
        if filterset_class is not None:
            cls.facets = filterset_class.facets
        if cls.queryset is not None:
            cls.lookup_field = stable_id_field(cls.queryset.model)
            cls.lookup_value_regex = "[0-9a-fA-F-]{32,36}" if cls.lookup_field == "uid" else "[-a-zA-Z0-9_]+"

    @property
    def model(self) -> type[Model]:
        return self.queryset.model

    @property
    def user(self):
        return self.request.user

    def get_queryset(self):
        shaped = self.optimise(self.model.objects.visible_to(self.user))
        if getattr(self, "reading_rows", False):
            # The fast path reads the related rows itself (projection.py): the records alone.
            return records_alone(shaped)
        return shaped

    def optimise(self, queryset):
        """What the serializer shows, fetched with the page: the resource's shape from its app's
        ``reads.py`` (the list's rows, also the CSV's, or the record alone)."""
        return queryset

    def get_serializer_class(self):
        # The detail serializer also writes: the list one may leave long fields out.
        if self.action != "list" and self.detail_serializer_class is not None:
            return self.detail_serializer_class
        return super().get_serializer_class()

    # --- search --------------------------------------------------------------------------------

    def search(self, queryset, query: str):
        """``?q=``: every word or quoted phrase must appear in one of ``search_fields``.

        Kinds with a full-text index use :class:`FullTextSearchMixin` instead.
        """
        return in_fields(queryset, query, self.search_fields)

    @property
    def search_help(self) -> str:
        fields = ", ".join(field.replace("__", " ") for field in self.search_fields)
        return f'Search: every word or "quoted phrase" must appear in one of: {fields}. Case-insensitive.'

    def search_matches(self, records, query: str) -> dict[int, dict]:
        """For each record shown, how it matched (``match`` in the results)."""
        return {}

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "search_matches": getattr(self, "matches", {})}

    # --- reading -------------------------------------------------------------------------------

    def row_plan(self) -> RowPlan | None:
        """The serializer compiled to read rows (``projection.py``); ``None``: DRF on instances."""
        return RowPlan.compile(self.get_serializer())

    def list(self, request, *args, **kwargs):
        facet_names = requested_facets(request, self)
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv" and not isinstance(request.accepted_renderer, BrowsableAPIRenderer):
            return self.stream_csv(queryset)
        facets = {name: self.facets[name].counts_for(queryset, self.user) for name in facet_names} if facet_names else None
        plan = self.row_plan()
        page = self.paginate_queryset(queryset if plan is None else records_alone(queryset))
        log_restricted_among(request, self.model, page, RestrictedRecordView.Channel.API)
        query = request.query_params.get("q", "").strip()
        self.matches = self.search_matches(page, query) if query else {}
        if plan is None:
            hide_invisible_links(page, self.user)
            records, latest = self.get_serializer(page, many=True).data, latest_change(page)
        else:
            records, latest = plan.records(page, queryset, self.get_serializer_context())
        response = Response(self.paginator.page_envelope(records, facets))
        set_last_modified(response, latest)
        return response

    def retrieve(self, request, *args, **kwargs):
        plan = self.row_plan()
        self.reading_rows = plan is not None
        instance = self.get_object()
        log_restricted_view(request, instance, RestrictedRecordView.Channel.API)
        if plan is None:
            hide_invisible_links([instance], self.user)
            record, latest = self.get_serializer(instance).data, latest_change([instance])
        else:
            self.reading_rows = False
            records, latest = plan.records([instance], self.get_queryset(), self.get_serializer_context())
            record = records[0]
        response = Response(record)
        set_last_modified(response, latest)
        if request.accepted_renderer.format == CSVRenderer.format:
            response["Content-Disposition"] = f'attachment; filename="{self.download_name(record["id"])}.csv"'
        return response

    def record_chunks(self, queryset):
        """The records of a whole filtered list, a chunk at a time so memory stays flat: read as rows
        of columns where the serializer compiles to a plan (``projection.py``), else as model instances."""
        serializer = self.get_serializer()
        plan = RowPlan.compile(serializer)
        return plan.chunks(queryset, serializer.context) if plan is not None else self.serialized_chunks(queryset)

    def stream_csv(self, queryset):
        """The whole filtered list as CSV, streamed as its chunks are read (``record_chunks``)."""
        columns = csv_columns(self.get_serializer())
        chunks = self.record_chunks(queryset)
        # The first chunk is read before the answer starts: if the database is down, the client
        # gets a 503 rather than a 200 whose body breaks off.
        first = next(chunks, [])

        def rows():
            yield from first
            for chunk in chunks:
                yield from chunk

        response = StreamingHttpResponse(csv_lines(columns, rows()), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.download_name()}.csv"'
        return response

    def download_name(self, record_id: str | None = None) -> str:
        """A downloaded file's name says what it holds and when it was made:
        ``extraditions-tracker_cases_filtered_2026-12-01`` (``_filtered`` when any filter or search
        narrowed the list), or a record's id for one record."""
        what = record_id or slugify(str(self.queryset.model._meta.verbose_name_plural))
        narrowed = record_id is None and any(key not in ("format", "page", "page_size", "ordering") for key in self.request.GET)
        return "_".join(["extraditions-tracker", what, *(["filtered"] if narrowed else []), timezone.localdate().isoformat()])

    def serialized_chunks(self, queryset):
        records = queryset.iterator(chunk_size=self.csv_chunk_size)
        while chunk := list(islice(records, self.csv_chunk_size)):
            hide_invisible_links(chunk, self.user)
            yield self.get_serializer(chunk, many=True).data

    # --- writing -------------------------------------------------------------------------------

    def get_object(self):
        instance = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            self.check_if_match(instance)
        return instance

    def check_if_match(self, instance) -> None:
        """No lost edits: with ``If-Match: <the ETag read>``, a write to a record changed since is a 412."""
        expected = self.request.headers.get("If-Match")
        if not expected or expected.strip() == "*":
            return
        body = JSONRenderer().render(self.get_serializer(instance).data)
        current = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
        if current not in [tag.strip().removeprefix("W/") for tag in expected.split(",")]:
            raise PreconditionFailed()

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def perform_create(self, serializer):
        self.save_or_conflict(serializer)

    def perform_update(self, serializer):
        self.save_or_conflict(serializer)

    def save_or_conflict(self, serializer):
        try:
            with transaction.atomic():
                serializer.save()
        except IntegrityError as error:
            # Validation ran first; this is a concurrent write that got there before us.
            raise Conflict(f"The record could not be saved: {error}") from error

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as error:
            blockers = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            names = sorted({str(obj._meta.verbose_name_plural) for obj in blockers})
            raise Conflict(f"Other records depend on this one ({', '.join(names)}); change them first.") from error


def set_last_modified(response, latest) -> None:
    """``Last-Modified``: the latest change among the records shown and the related records loaded with them.

    A related row deleted since leaves no trace here; the ``ETag`` (a hash of the body) catches
    that, and a client sending both is answered by the ETag.
    """
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())


def latest_change(records):
    """The latest ``updated_at`` among ``records`` and what was loaded with them."""
    latest = None
    seen = set()
    stack = list(records)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or not isinstance(obj, Model):
            continue
        seen.add(id(obj))
        changed = getattr(obj, "updated_at", None)
        if changed is not None and (latest is None or changed > latest):
            latest = changed
        stack.extend(value for value in obj._state.fields_cache.values() if value is not None)
        for related in getattr(obj, "_prefetched_objects_cache", {}).values():
            stack.extend(related)
    return latest


class FullTextSearchMixin:
    """``?q=`` through the full-text index, ranked, with a snippet of each match.

    The query syntax is web search's: words, "phrases", -excluded, or (docs/search.md).
    """

    search_help = (
        'Full-text search, accents and case ignored: words, "exact phrases", -excluded words, or. '
        "Ranked: names and titles above summaries, summaries above full texts; sorted by relevance "
        "unless ordering says otherwise."
    )

    def search(self, queryset, query: str):
        return ranked(queryset, query)

    def search_matches(self, records, query: str) -> dict[int, dict]:
        found = SearchDocument.objects.matches(self.model, [r.pk for r in records], query)
        return {
            r.pk: {"relevance": getattr(r, "relevance", None), **found.get(r.pk, {"snippet": "", "reasons": [], "pages": []})}
            for r in records
        }
