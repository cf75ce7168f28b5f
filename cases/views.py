"""The public website's pages for cases and persons.

The pages show what the API shows and nothing else: every queryset goes through
``visible_to(user)``, filters reuse the API's filter sets and facets, and a restricted or draft
record is a 404, as in the API.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView

from extraditions.search.models import SearchDocument
from extraditions.stats import headline_figures
from sources.models import Citation

from . import models as m
from .api.filters import CaseFilterSet, CourtRulingFilterSet, InterpolNoticeFilterSet, PersonFilterSet
from .api.views import CaseViewSet, CourtRulingViewSet, InterpolNoticeViewSet, PersonViewSet


class HomeView(TemplateView):
    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        latest = m.Case.objects.visible_to(user).order_by("-created_at")[:6]
        return {**super().get_context_data(**kwargs), "figures": headline_figures(today, user), "on": today, "latest": latest}


class DownloadsView(TemplateView):
    template_name = "site/downloads.html"

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        from extraditions.api.urls import router

        resources = [(prefix, reverse(f"api:{basename}-list")) for prefix, _, basename in router.registry]
        return {**super().get_context_data(**kwargs), "resources": resources}


@dataclass
class FacetChoice:
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class FacetBlock:
    name: str
    title: str
    choices: list[FacetChoice] = field(default_factory=list)


class FacetedSearchView(ListView):
    """A list with the API's filters (its filter set), full-text search and facets as links."""

    model = None
    filterset_class = None
    facet_source = None  # the API view whose facets the sidebar shows
    site_facets: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ()
    paginate_by = 25

    def optimise(self, queryset):
        return queryset

    def get_queryset(self):
        queryset = self.optimise(self.model.objects.visible_to(self.request.user))
        params = QueryDict(mutable=True)
        for key in self.request.GET:
            if key in self.filterset_class.base_filters:
                params.setlist(key, self.request.GET.getlist(key))
        self.filterset = self.filterset_class(params, queryset, request=self.request)
        filtered = self.filterset.qs if self.filterset.is_valid() else queryset.none()
        self.query = self.request.GET.get("q", "").strip()[:500]
        if self.query:
            # The API's search for this kind: full text, names, or words in its fields.
            api_view = self.facet_source(request=self.request, action="list", format_kwarg=None)
            filtered = api_view.search(filtered, self.query)
        self.filtered = filtered
        if "relevance" in filtered.query.annotations:
            return filtered.order_by("-relevance", "pk")
        return filtered.order_by(*self.default_ordering, "pk")

    def facet_blocks(self) -> list[FacetBlock]:
        blocks = []
        for name in self.site_facets:
            block = FacetBlock(name, name.replace("_", " ").capitalize())
            chosen = set(self.request.GET.getlist(name))
            for row in self.facet_source.facets[name].counts(self.filtered):
                value = "" if row["value"] is None else str(row["value"])
                params = self.request.GET.copy()
                params.pop("page", None)
                if value in chosen:
                    params.setlist(name, [v for v in params.getlist(name) if v != value])
                else:
                    params.appendlist(name, value)
                block.choices.append(FacetChoice(row["label"], row["count"], f"?{params.urlencode()}", value in chosen))
            blocks.append(block)
        return blocks

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"].object_list
        snippets = SearchDocument.objects.snippets(self.model, [r.pk for r in page], self.query) if self.query else {}
        for record in page:
            record.snippet = snippets.get(record.pk, "")  # HTML-escaped, with the matches in <mark>
        others = self.request.GET.copy()
        others.pop("page", None)
        page_query = f"{others.urlencode()}&" if others else ""  # this list's search and filters, for page links
        others.pop("q", None)
        return {
            **context,
            "facets": self.facet_blocks(),
            "query": self.query,
            "errors": self.filterset.errors,
            "kept_params": [(name, value) for name, values in others.lists() for value in values],
            "page_query": page_query,
        }


class CaseListView(FacetedSearchView):
    """Cases with the API's filters, search and facets as a sidebar."""

    model = m.Case
    filterset_class = CaseFilterSet
    facet_source = CaseViewSet
    site_facets = ("kind", "outcome", "host_country")
    default_ordering = ("-started_on", "title")
    template_name = "site/case_list.html"
    context_object_name = "cases"

    def optimise(self, queryset):
        return queryset.select_related("treaty").prefetch_related(
            Prefetch("participants", queryset=m.CaseParticipant.objects.visible_to(self.request.user).select_related("person"))
        )


class RulingSearchView(FacetedSearchView):
    """Rulings for lawyers: full-text search with facets by ground, court level, decision, country and year."""

    model = m.CourtRuling
    filterset_class = CourtRulingFilterSet
    facet_source = CourtRulingViewSet
    site_facets = ("decision", "ground", "level", "country", "assurance_assessment", "decided_year")
    default_ordering = ("-decided_on", "court")
    template_name = "site/ruling_list.html"
    context_object_name = "rulings"

    def optimise(self, queryset):
        return queryset.select_related("case").prefetch_related("grounds")


class PersonListView(FacetedSearchView):
    """Persons, found by any form of their names; a pseudonymous person under the pseudonym only."""

    model = m.Person
    filterset_class = PersonFilterSet
    facet_source = PersonViewSet
    site_facets = ("current_situation", "affiliation", "asylum_status")
    default_ordering = ("name",)
    template_name = "site/person_list.html"
    context_object_name = "persons"

    def optimise(self, queryset):
        return queryset.prefetch_related("affiliations")


class NoticeListView(FacetedSearchView):
    """INTERPOL Red Notices and Diffusions issued at China's request, cancelled ones included."""

    model = m.InterpolNotice
    filterset_class = InterpolNoticeFilterSet
    facet_source = InterpolNoticeViewSet
    site_facets = ("kind", "status", "cancellation_reason", "issued_year")
    default_ordering = ("-issued_on",)
    template_name = "site/notice_list.html"
    context_object_name = "notices"

    def optimise(self, queryset):
        return queryset.select_related("subject").prefetch_related(
            Prefetch("cases", queryset=m.Case.objects.visible_to(self.request.user))
        )


@dataclass(order=True)
class TimelineEntry:
    date: datetime.date | None
    label: str = field(compare=False)
    when: str = field(compare=False)
    text: str = field(compare=False, default="")
    citations: list = field(compare=False, default_factory=list)


def timeline_of(case: m.Case) -> list[TimelineEntry]:
    """Everything dated in a case, oldest first; undated entries last, in the order entered."""
    entries = []
    for event in case.events.all():
        entries.append(TimelineEntry(event.occurred_on, event.get_kind_display(), str(event.occurred or "Undated"),
                                     event.description, list(event.citations.all())))
    for detention in case.detentions.all():
        length = f" ({detention.duration_days} days{' so far' if detention.is_ongoing else ''})" if detention.duration_days is not None else ""
        who = f"{detention.person.name}: " if detention.person_id else ""
        entries.append(TimelineEntry(detention.started_on, "Detention", str(detention.started or "Undated"),
                                     f"{who}{detention.place}{length}".strip(), list(detention.citations.all())))
    for request in case.requests.all():
        entries.append(TimelineEntry(request.requested_on, "Extradition request", str(request.requested or "Undated"),
                                     f"{request.get_legal_basis_display()}; {request.get_decision_display().lower()}",
                                     list(request.citations.all())))
    for ruling in case.rulings.all():
        entries.append(TimelineEntry(ruling.decided_on, f"Ruling: {ruling.get_decision_display()}",
                                     str(ruling.decided or "Undated"), f"{ruling.court}. {ruling.summary}",
                                     list(ruling.citations.all())))
    for assurance in case.assurances.all():
        kept = assurance.get_compliance_display().lower()
        entries.append(TimelineEntry(assurance.given_on, "Diplomatic assurance", str(assurance.given or "Undated"),
                                     f"{', '.join(assurance.promise_labels) or assurance.other_promises} — {kept}",
                                     list(assurance.citations.all())))
    dated = sorted(entry for entry in entries if entry.date is not None)
    return dated + [entry for entry in entries if entry.date is None]


class CaseDetailView(DetailView):
    template_name = "site/case_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        user = self.request.user
        citations = Prefetch("citations", queryset=Citation.objects.listed_for(user))

        def child(model, *related):
            queryset = model.objects.visible_to(user).prefetch_related(citations)
            return queryset.select_related(*related) if related else queryset

        queryset = m.Case.objects.visible_to(user).select_related("treaty").prefetch_related(
            Prefetch("participants", queryset=m.CaseParticipant.objects.visible_to(user).select_related("person")),
            Prefetch("events", queryset=child(m.CaseEvent)),
            Prefetch("detentions", queryset=child(m.Detention, "person")),
            Prefetch("requests", queryset=child(m.ExtraditionRequest)),
            Prefetch("rulings", queryset=child(m.CourtRuling)),
            Prefetch("assurances", queryset=child(m.DiplomaticAssurance)),
            citations,
        )
        return get_object_or_404(queryset, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        case = self.object
        url = self.request.build_absolute_uri()
        accessed = timezone.localdate().isoformat()
        cite = f"“{case.title}”. Extraditions tracker, record {case.slug}. {url} (accessed {accessed})."
        return {**super().get_context_data(**kwargs), "timeline": timeline_of(case), "cite": cite}


class PersonDetailView(DetailView):
    template_name = "site/person_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        user = self.request.user
        queryset = m.Person.objects.visible_to(user).prefetch_related(
            Prefetch("aliases", queryset=m.Alias.objects.visible_to(user)),
            Prefetch("participations", queryset=m.CaseParticipant.objects.visible_to(user).select_related("case")),
            Prefetch("notices", queryset=m.InterpolNotice.objects.visible_to(user)),
            Prefetch("citations", queryset=Citation.objects.listed_for(user)),
            "affiliations",
        )
        return get_object_or_404(queryset, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        person = self.object
        public_view = not (self.request.user.is_authenticated and self.request.user.is_staff)
        cite = (
            f"“{person.name}”. Extraditions tracker, record {person.slug}. {self.request.build_absolute_uri()} "
            f"(accessed {timezone.localdate().isoformat()})."
        )
        return {
            **super().get_context_data(**kwargs),
            "original_name": "" if person.is_pseudonym and public_view else person.name_original,
            "cite": cite,
        }
