"""Shared pieces of the public website's views: every page has a title and a text to cite it by,
and a record's page finds the record by the same stable identifier as the API."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.views.generic import DetailView, TemplateView
from django.views.generic.base import ContextMixin

from .caching import cached_query_result
from .identifiers import api_url, stable_id, stable_id_field
from .models import RestrictedRecordView
from .visibility import hide_invisible_links, label, log_restricted_view

SITE_NAME = "Extraditions tracker"


def citation_text(title: str, url: str, record_id: str | None = None) -> str:
    """How to cite a page: its title, this site (and the record's identifier), the URL, the day accessed."""
    record = f", record {record_id}" if record_id else ""
    return f"“{title}”. {SITE_NAME}{record}. {url} (accessed {timezone.localdate().isoformat()})."


class PublicCountPaginator(Paginator):
    """A paginator whose count is cached for the public until the data changes: each page of a list
    (and its facets' links) does not count the same rows again."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @cached_property
    def count(self):
        return cached_query_result("count", self.object_list, self.user, self.object_list.count)


def site_context(request) -> dict:
    """Who publishes the site, how to reach them and the data's licence (settings), on every page."""
    return {"site": {"publisher": settings.SITE_PUBLISHER, "contact": settings.SITE_CONTACT_EMAIL, "licence": settings.DATA_LICENCE}}


DEFAULT_DESCRIPTION = (
    "How people are returned to the People's Republic of China — by extradition, deportation, INTERPOL "
    "notices and involuntary returns — documented case by case from public sources."
)
DESCRIPTION_LENGTH = 200


class SitePageMixin(ContextMixin):
    """A public page: its title (for <title> and <h1>), its description (for search engines and
    link previews) and its "cite this page" text."""

    page_title = ""
    page_description = ""

    def get_page_title(self) -> str:
        return self.page_title

    def get_page_description(self) -> str:
        return self.page_description or DEFAULT_DESCRIPTION

    def get_record_id(self) -> str | None:
        """The stable identifier of the record the page shows, if it shows one."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        title, record_id = self.get_page_title(), self.get_record_id()
        return {
            **context,
            "page_title": title,
            "page_description": Truncator(" ".join(self.get_page_description().split())).chars(DESCRIPTION_LENGTH),
            "canonical_url": self.request.build_absolute_uri(self.request.path),
            "record_id": record_id,
            "cite": citation_text(title or SITE_NAME, self.request.build_absolute_uri(), record_id),
        }


class RecordPageView(SitePageMixin, DetailView):
    """One record's page at /<kind>/<stable id>/: a 404 for a record the user may not see, as in the API."""

    slug_url_kwarg = "id"

    def optimise(self, queryset):
        """Related records the page shows, loaded in a constant number of queries: the page's
        shape from its app's ``reads.py``."""
        return queryset

    def get_object(self, queryset=None):
        model = self.model
        records = self.optimise(model.objects.visible_to(self.request.user))
        record = get_object_or_404(records, **{stable_id_field(model): self.kwargs[self.slug_url_kwarg]})
        hide_invisible_links([record], self.request.user)
        log_restricted_view(self.request, record, RestrictedRecordView.Channel.SITE)
        return record

    def get_page_title(self) -> str:
        return label(self.object, self.request.user)  # a pseudonymous person's other names never in a public title

    def get_record_id(self) -> str:
        return stable_id(self.object)

    def get_page_description(self) -> str:
        """The record's own summary where it has one, else what kind of record it is."""
        record = self.object
        own = next((getattr(record, name) for name in ("summary", "notes", "biography") if getattr(record, name, "")), "")
        return own or f"{label(record, self.request.user)}: a {record._meta.verbose_name} documented by the {SITE_NAME}."

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs), "api_url": api_url(self.object, None),
            "last_updated": getattr(self.object, "updated_at", None),
        }


class SitePageView(SitePageMixin, TemplateView):
    """A page of text, such as the methodology."""
