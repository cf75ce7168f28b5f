"""The public website's pages for cases, persons, rulings and INTERPOL notices.

The pages show what the API shows and nothing else: every queryset goes through
``visible_to(user)``, records are read in the shapes of ``cases/reads.py``, lists use the same
filter sets and facets as the API (``cases/filtersets.py``) and the same search
(``cases/search.py``), and a restricted or draft record is a 404, as in the API.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field

from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView
from django_countries import countries

from extraditions.filtering import NO_VALUE, Listing
from extraditions.identifiers import api_list_url
from extraditions.models import RestrictedRecordView
from extraditions.pages import PublicCountPaginator, RecordPageView, SitePageMixin
from extraditions.search.models import SearchDocument
from extraditions.visibility import hide_invisible_links, log_restricted_among, original_name
from sources.search import document_search, judgments_among

from . import listings, reads
from . import models as m
from .citations import FORMATS, RulingReference


@dataclass
class FacetChoice:
    label: str
    count: int
    url: str | None  # None: nothing selects it (records with no value)
    selected: bool


@dataclass
class FacetBlock:
    name: str
    title: str
    choices: list[FacetChoice] = field(default_factory=list)


class FacetedSearchView(SitePageMixin, ListView):
    """A list with the filters of its listing's filter set (the API's), its search, and the filter
    set's facets as links (the listing, ``<app>/listings.py``, is what its feed and alerts select too)."""

    listing: Listing = None
    site_facets: tuple[str, ...] = ()
    # A date column's filters <name>_after / <name>_before, offered as a "from / until" form.
    date_filter: str = ""
    date_filter_label: str = ""
    default_ordering: tuple[str, ...] = ()
    paginate_by = 25
    # What site/faceted_list.html says: "12 cases", "Search the cases", an example search.
    record_noun = "record"
    search_placeholder = ""

    @property
    def model(self):
        return self.listing.model

    @property
    def filterset_class(self):
        return self.listing.filterset_class

    @property
    def search_label(self) -> str:
        return f"Search the {self.record_noun}s"

    def optimise(self, queryset):
        return queryset

    def get_paginator(self, queryset, per_page, **kwargs):
        return PublicCountPaginator(queryset, per_page, user=self.request.user, **kwargs)

    def get_queryset(self):
        queryset = self.optimise(self.model.objects.visible_to(self.request.user))
        filtered, self.filter_errors = self.listing.filter(self.request.GET, queryset, self.request)
        self.query = self.request.GET.get("q", "").strip()[:500]
        if self.query:
            filtered = self.listing.search(filtered, self.query, self.request.user)
        self.filtered = filtered
        if "relevance" in filtered.query.annotations:
            return filtered.order_by("-relevance", "pk")
        return filtered.order_by(*self.default_ordering, "pk")

    def render_to_response(self, context, **response_kwargs):
        if self.filter_errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)

    def params_without(self, *names: str) -> QueryDict:
        """This list's parameters but the page and ``names``: what a link or a form keeps."""
        params = self.request.GET.copy()
        for name in ("page", *names):
            params.pop(name, None)
        return params

    def facet_blocks(self) -> list[FacetBlock]:
        blocks = []
        for name in self.site_facets:
            block = FacetBlock(name, name.replace("_", " ").capitalize())
            chosen = set(self.request.GET.getlist(name))
            for row in self.filterset_class.facets[name].counts_for(self.filtered, self.request.user):
                # Records with no value ("Unknown") are selected by the filter's "none".
                value = NO_VALUE if row["value"] in (None, "") else str(row["value"])
                params = self.params_without()
                if value in chosen:
                    params.setlist(name, [v for v in params.getlist(name) if v != value])
                else:
                    params.appendlist(name, value)
                url = f"?{params.urlencode()}" if name in self.filterset_class.base_filters else None
                block.choices.append(FacetChoice(row["label"], row["count"], url, value in chosen))
            blocks.append(block)
        return blocks

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"].object_list
        hide_invisible_links(page, self.request.user)
        log_restricted_among(self.request, self.model, page, RestrictedRecordView.Channel.SITE)
        matches = SearchDocument.objects.matches(self.model, [r.pk for r in page], self.query) if self.query else {}
        for record in page:
            match = matches.get(record.pk, {})
            record.snippet = match.get("snippet", "")  # HTML-escaped, with the matches in <mark>
            record.reasons = match.get("reasons", [])  # why it matched: a ruling's grounds, the parts
            record.page_hits = match.get("pages", [])  # the pages of its documents that matched
        others = self.params_without()
        page_query = f"{others.urlencode()}&" if others else ""  # this list's search and filters, for page links
        # The same search and filters in the API (same parameter names): JSON, and CSV for spreadsheets.
        api_list = api_list_url(self.model)
        data_links = {"json": f"{api_list}?{others.urlencode()}", "csv": f"{api_list}?{page_query}format=csv"}
        date_range = self.date_range_form() if self.date_filter else None
        return {
            "follow": self.follow_links(),
            **context,
            "facets": self.facet_blocks(),
            "query": self.query,
            "errors": self.filter_errors,
            "kept_params": pairs(self.params_without("q")),  # what the search box keeps
            "page_query": page_query,
            "date_range": date_range,
            "data_links": data_links,
        }

    def follow_links(self) -> dict:
        """How to follow this list with its search and filters: its Atom feed, and what the alert
        form sends (alerts/)."""
        params = self.listing.params_of(self.request.GET)
        for refused in self.filter_errors:  # what the page left out, the feed and alerts leave out too
            params.pop(refused, None)
        query = params.urlencode()
        feed = reverse("site:feed", args=[self.listing.name])
        return {"listing": self.listing.name, "query": query, "feed": f"{feed}?{query}" if query else feed}

    def date_range_form(self) -> dict:
        """The from/until boxes of the list's date filter, and the other parameters to keep."""
        after, before = f"{self.date_filter}_after", f"{self.date_filter}_before"
        return {
            "legend": self.date_filter_label,
            "after": (after, self.request.GET.get(after, "")),
            "before": (before, self.request.GET.get(before, "")),
            "kept": pairs(self.params_without(after, before)),
        }


def pairs(params: QueryDict) -> list[tuple[str, str]]:
    """Each (name, value) of the parameters, as hidden form fields need them."""
    return [(name, value) for name, values in params.lists() for value in values]


class CaseListView(FacetedSearchView):
    """Cases with the API's filters, search and facets as a sidebar."""

    page_title = "Cases"
    page_description = "Every documented case of a return to China — extradition, deportation, INTERPOL notice, involuntary return — searchable and filterable by country, kind and outcome."
    listing = listings.CASES
    site_facets = ("kind", "outcome", "host_country")
    date_filter = "started"
    date_filter_label = "Started"
    default_ordering = ("-started_on", "title")
    template_name = "site/case_list.html"
    record_noun = "case"
    search_placeholder = 'torture "consular access" -death'

    def optimise(self, queryset):
        return reads.case_list_rows(queryset, self.request.user)


class RulingSearchView(FacetedSearchView):
    """Rulings for lawyers: full-text search with facets by ground, court level, decision, country and year."""

    page_title = "Court rulings"
    page_description = "Court rulings on extradition and removal to China: the grounds they relied on, how they judged China's assurances, with citations for a brief."
    listing = listings.RULINGS
    site_facets = ("decision", "ground", "level", "country", "assurance_assessment", "decided_year")
    date_filter = "decided"
    date_filter_label = "Decided"
    default_ordering = ("-decided_on", "court")
    template_name = "site/ruling_list.html"
    record_noun = "ruling"
    search_placeholder = 'torture "consular access" -death'

    def optimise(self, queryset):
        return reads.ruling_list_rows(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same search and filters as references for Zotero and other reference managers.
        context["citation_links"] = citation_links(f"{api_list_url(m.CourtRuling)}?{context['page_query']}format=")
        return context


def citation_links(prefix: str) -> dict[str, str]:
    """Where the API writes references (cases/citations.py), by the name shown for each format."""
    return {fmt.label: f"{prefix}{name}" for name, fmt in FORMATS.items()}


class PersonListView(FacetedSearchView):
    """Persons, found by any form of their names; a pseudonymous person under the pseudonym only."""

    page_title = "Persons"
    page_description = "Persons in the documented cases of returns to China, found by any of their names: Chinese characters, pinyin or aliases."
    listing = listings.PERSONS
    site_facets = ("current_situation", "affiliation", "asylum_status")
    default_ordering = ("name",)
    template_name = "site/person_list.html"
    record_noun = "person"
    search_label = "Find a person by any of their names"
    search_placeholder = "Qiao Jianjun, 乔建军, qiaojianjun"

    def optimise(self, queryset):
        return reads.person_list_rows(queryset, self.request.user)


class NoticeListView(FacetedSearchView):
    """INTERPOL Red Notices and Diffusions issued at China's request, cancelled ones included."""

    page_title = "INTERPOL notices"
    page_description = "INTERPOL Red Notices and Diffusions sought by China in the documented cases, with their status."
    listing = listings.NOTICES
    site_facets = ("kind", "status", "cancellation_reason", "issued_year")
    date_filter = "issued"
    date_filter_label = "Issued"
    default_ordering = ("-issued_on",)
    template_name = "site/notice_list.html"
    record_noun = "notice"

    def optimise(self, queryset):
        return reads.notice_list_rows(queryset, self.request.user)


@dataclass(order=True)
class TimelineEntry:
    date: datetime.date | None
    label: str = field(compare=False)
    when: str = field(compare=False)
    text: str = field(compare=False, default="")
    citations: list = field(compare=False, default_factory=list)
    url: str = field(compare=False, default="")  # the entry's own page, for a ruling


def timeline_of(case: m.Case) -> list[TimelineEntry]:
    """Everything dated in a case, oldest first; undated entries last, in the order entered."""
    entries = []
    for event in case.events.all():
        entries.append(TimelineEntry(event.occurred_on, event.get_kind_display(), str(event.occurred or "Undated"),
                                     event.description, list(event.citations.all())))
    for detention in case.detentions.all():
        # A length only when both ends are known: an empty end may mean "still held" or "not reported".
        length = " (end not recorded)" if detention.is_ongoing else (
            f" ({detention.duration_days} days)" if detention.duration_days is not None else "")
        who = f"{detention.person.name}: " if detention.person_id else ""
        entries.append(TimelineEntry(detention.started_on, "Detention", str(detention.started or "Undated"),
                                     f"{who}{detention.place}{length}".strip(), list(detention.citations.all())))
    for request in case.requests.all():
        entries.append(TimelineEntry(request.requested_on, "Extradition request", str(request.requested or "Undated"),
                                     f"{request.get_legal_basis_display()}; {request.get_decision_display().lower()}",
                                     list(request.citations.all())))
    rulings = {ruling.pk: ruling for ruling in case.rulings.all()}
    for ruling in rulings.values():
        reviewed = rulings.get(ruling.reviews_id)  # the ruling below, if the reader may see it
        review = f"On review of {reviewed}: {ruling.get_review_outcome_display().lower() or 'outcome not recorded'}. " if reviewed else ""
        entries.append(TimelineEntry(ruling.decided_on, f"Ruling: {ruling.get_decision_display()}",
                                     str(ruling.decided or "Undated"), f"{ruling.court}. {review}{ruling.summary}",
                                     list(ruling.citations.all()), ruling.get_absolute_url()))
    for assurance in case.assurances.all():
        kept = assurance.get_compliance_display().lower()
        entries.append(TimelineEntry(assurance.given_on, "Diplomatic assurance", str(assurance.given or "Undated"),
                                     f"{', '.join(assurance.promise_labels) or assurance.other_promises} — {kept}",
                                     list(assurance.citations.all())))
    dated = sorted(entry for entry in entries if entry.date is not None)
    return dated + [entry for entry in entries if entry.date is None]


class CaseDetailView(RecordPageView):
    """A case with its timeline and the sources of each fact."""

    model = m.Case
    template_name = "site/case_detail.html"
    context_object_name = "case"

    def optimise(self, queryset):
        return reads.case_page(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "timeline": timeline_of(self.object)}


class PersonDetailView(RecordPageView):
    """A person under the name the public may know: a pseudonymous person's other names stay hidden."""

    model = m.Person
    template_name = "site/person_detail.html"
    context_object_name = "person"

    def optimise(self, queryset):
        return reads.person_page(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "original_name": original_name(self.object, self.request.user)}


class RulingDetailView(RecordPageView):
    """A ruling as a lawyer would cite it: court, date, docket, decision, grounds, assurances, text."""

    model = m.CourtRuling
    template_name = "site/ruling_detail.html"
    context_object_name = "ruling"

    def optimise(self, queryset):
        return reads.ruling_page(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        ruling = self.object
        in_case = reads.case_rulings(ruling, self.request.user)
        chain = ruling.appeal_chain(in_case)
        page = self.request.build_absolute_uri(ruling.get_absolute_url())
        judgments = judgments_among(ruling.citations.all())
        query = self.request.GET.get("q", "").strip()
        return {
            **super().get_context_data(**kwargs),
            "appeal_chain": chain if len(chain) > 1 else [],
            "related_rulings": [other for other in in_case if other not in chain],
            "reference": RulingReference.from_ruling(ruling, page),
            "citation_links": citation_links(f"{api_list_url(m.CourtRuling)}{ruling.slug}/?format="),
            "judgments": judgments, "query": query, "page_hits": document_search(judgments, query),
        }


class NoticeDetailView(RecordPageView):
    """A Red Notice or Diffusion: who, when, its status, and the cases it figures in."""

    model = m.InterpolNotice
    template_name = "site/notice_detail.html"
    context_object_name = "notice"

    def optimise(self, queryset):
        return reads.notice_page(queryset, self.request.user)


class ReturnsTableView(View):
    """``/figures/returns.csv``: persons returned per host country, year and means of return, one
    row each: "how many people did each country return, by year and by method" in one file."""

    def get(self, request):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="extraditions-tracker_returns-by-country-year-means_{day}.csv"'
        writer = csv.writer(response)
        writer.writerow(["host_country", "host_country_name", "year", "means", "means_label", "persons"])
        for row in reads.returns_table(request.user):
            code = row["host_country"] or ""
            writer.writerow([
                code, countries.name(code) if code else "", row["year"] or "", row["outcome"], reads.RETURNS[row["outcome"]], row["n"],
            ])
        return response
