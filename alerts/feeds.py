"""Atom feeds of the public lists: ``/feeds/<list>/?<the list page's parameters>``.

A feed holds the records of a list most recently published or changed, newest first, selected by
the same filters and search as the list's page (:class:`extraditions.filtering.Listing`), so that
any search or filtered list on the site can be followed. Feeds are read by feed readers and
aggregators and cached for everyone (``Cache-Control: public`` and the public answer cache):
whoever asks, a feed shows what the public sees, and each entry only what the record's public
page shows — its public label, never ``str()``, and its own summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.text import Truncator
from django.views import View

from cases import reads as case_reads
from extraditions.filtering import Listing
from extraditions.identifiers import api_list_url
from extraditions.pages import SITE_NAME, SitePageView
from extraditions.visibility import PUBLIC, hide_invisible_links, label

from .listings import LISTINGS, filter_terms

ENTRIES = 50
CACHE_CONTROL = "public, max-age=300"  # a reader polls often; the answer cache serves the repeats

# What each list's entries are read with (the apps' read shapes): only what their summaries show.
SHAPES: dict[str, Callable] = {
    "rulings": case_reads.ruling_list_rows,  # the case's title and the grounds, without the full text
    "notices": case_reads.notice_list_rows,  # the subject it is labelled by, and the public cases
    "persons": case_reads.person_feed_rows,
}


# --- what an entry says of its record ---------------------------------------------------------------


def _case_facts(case) -> list[str]:
    return [
        case.get_kind_display(), case.host_country.name or "country not known", str(case.started or ""),
        f"Outcome: {case.get_outcome_display()}",
    ]


def _ruling_facts(ruling) -> list[str]:
    grounds = ", ".join(str(ground) for ground in ruling.grounds.all())
    return [
        ruling.get_decision_display(), f"Case: {ruling.case.title}", f"Grounds: {grounds}" if grounds else "",
        f"Assurances: {ruling.get_assurance_assessment_display().lower()}",
    ]


def _person_facts(person) -> list[str]:
    return [
        f"Situation: {person.get_current_situation_display()}", *(group.name for group in person.affiliations.all()),
        "pseudonym" if person.is_pseudonym else "",
    ]


def _notice_facts(notice) -> list[str]:
    status = f"Status: {notice.get_status_display()}"
    if notice.cancelled:
        status += f" {notice.cancelled}"
    if notice.cancellation_reason:
        status += f" ({notice.get_cancellation_reason_display().lower()})"
    return [
        f"Issued {notice.issued}" if notice.issued else "", status, *(f"Case: {case.title}" for case in notice.cases.all()),
    ]


def _source_facts(source) -> list[str]:
    return [source.get_kind_display(), source.publisher, str(source.published or "")]


def _treaty_facts(treaty) -> list[str]:
    return [
        treaty.get_kind_display(), treaty.counterpart.name or treaty.counterpart_organisation,
        f"signed {treaty.signed}" if treaty.signed else "",
    ]


@dataclass(frozen=True)
class EntryText:
    """An entry's summary: a line of facts, as the list page's row gives them, and the record's own
    text in our words, as its public page shows it."""

    facts: Callable  # record -> [fact, …] (empty ones are left out)
    text: str  # the field of the record's own text


ENTRY_TEXTS = {
    "cases": EntryText(_case_facts, "summary"),
    "rulings": EntryText(_ruling_facts, "summary"),
    "persons": EntryText(_person_facts, "biography"),
    "notices": EntryText(_notice_facts, "notes"),
    "sources": EntryText(_source_facts, "notes"),
    "treaties": EntryText(_treaty_facts, "notes"),
}


def entry_summary(listing: Listing, record) -> str:
    """The entry's summary as HTML (Atom's ``<summary type="html">``): every text escaped."""
    entry = ENTRY_TEXTS[listing.name]
    facts = " · ".join(fact for fact in entry.facts(record) if fact)
    text = getattr(record, entry.text, "")
    return format_html_join("", "<p>{}</p>", ((part,) for part in (facts, text) if part))


# --- which records, and what the feed is called -------------------------------------------------------


def describe(listing: Listing, params: QueryDict) -> str:
    """``“torture”, decision: Extradition refused`` for ``?q=torture&decision=extradition_refused``:
    what the feed is limited to, for its title."""
    query = (params.get("q") or "").strip()
    return ", ".join([*([f"“{Truncator(query).chars(100)}”"] if query else []), *filter_terms(listing, params)])


def with_query(path: str, params: QueryDict) -> str:
    return f"{path}?{params.urlencode()}" if params else path


@dataclass(frozen=True)
class Selection:
    """One feed: the list, its parameters (those that select records, in a stable order) and its entries."""

    listing: Listing
    params: QueryDict
    records: list


def latest_public_records(listing: Listing, params) -> tuple[list, dict[str, list[str]]]:
    """The ``ENTRIES`` records of ``listing`` with ``params`` most recently changed, as the public
    sees them (whoever asks: the feed is cached for everyone), with the parameters refused.

    No request reaches the filters either: those that look at related records (a case's country
    on rulings) then look only at what the public may see.
    """
    records, refused = listing.records(params, PUBLIC)
    if refused:
        return [], refused
    shape = SHAPES.get(listing.name)
    if shape is not None:
        records = shape(records, PUBLIC)
    records = list(records.order_by("-updated_at", "-pk")[:ENTRIES])
    hide_invisible_links(records, PUBLIC)  # what was loaded with them, narrowed to the public's too
    return records, refused


class ListingFeed(Feed):
    """The Atom feed of a :class:`Selection` (made per request by :class:`ListingFeedView`)."""

    feed_type = Atom1Feed

    def __init__(self, selection: Selection):
        self.selection = selection

    def get_object(self, request, *args, **kwargs):
        return self.selection

    def title(self, selection: Selection) -> str:
        described = describe(selection.listing, selection.params)
        return f"{selection.listing.title}{f' matching {described}' if described else ''} — {SITE_NAME}"

    def subtitle(self, selection: Selection) -> str:
        return (
            f"{selection.listing.title} most recently published or updated in the {SITE_NAME}, newest first "
            f"(the latest {ENTRIES})."
        )

    def link(self, selection: Selection) -> str:
        return with_query(reverse(selection.listing.page), selection.params)

    def feed_url(self, selection: Selection) -> str:
        return with_query(reverse("site:feed", args=[selection.listing.name]), selection.params)

    def author_name(self) -> str:
        return settings.SITE_PUBLISHER

    def items(self, selection: Selection) -> list:
        return selection.records

    def item_title(self, record) -> str:
        return label(record, PUBLIC)  # Atom's title is text: the generator escapes it, once

    def item_description(self, record) -> str:
        return entry_summary(self.selection.listing, record)

    def item_link(self, record) -> str:
        return record.get_absolute_url()

    def item_guid(self, record) -> str:
        return f"urn:uuid:{record.uid}"  # the same entry whatever the host, and after a slug is corrected

    def item_updateddate(self, record):
        return record.updated_at


# --- the views --------------------------------------------------------------------------------------


def refusal(listing: Listing, refused: dict[str, list[str]]) -> HttpResponse:
    """A 400 that says which parameters were not understood and what they take, as a list page does."""
    lines = [f"This feed ({listing.title}) could not use these parameters:"]
    lines += [f"- {name}: {' '.join(messages)}" for name, messages in refused.items()]
    # The API's list, not the page: the treaty map takes none of the treaties' filters.
    lines.append(f"It takes q, a search, and the filters of the list, the same as the API's {api_list_url(listing.model)}.")
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


class ListingFeedView(View):
    """``/feeds/<list>/?<parameters>``: the Atom feed of a list, with its page's filters and search."""

    def get(self, request, listing):
        try:
            listing = LISTINGS[listing]
        except KeyError:
            raise Http404(f"No list is called {listing!r}.") from None
        records, refused = latest_public_records(listing, request.GET)
        if refused:
            return refusal(listing, refused)
        response = ListingFeed(Selection(listing, listing.params_of(request.GET), records))(request)
        # The newest entry's date is not when the feed last changed: a withdrawn record changes it
        # without a newer date. Readers revalidate by the ETag (ConditionalGetMiddleware) instead.
        del response["Last-Modified"]
        response["Cache-Control"] = CACHE_CONTROL
        return response


class FeedIndexView(SitePageView):
    """``/feeds/``: every list's feed, and how to follow a search."""

    template_name = "alerts/feeds.html"
    page_title = "Feeds"
    page_description = (
        "Atom feeds of the records newly published or updated in the tracker: every list, and any search or "
        "filtered list of the site."
    )

    def get_context_data(self, **kwargs):
        feeds = [
            {"title": listing.title, "feed": reverse("site:feed", args=[name]), "page": reverse(listing.page)}
            for name, listing in LISTINGS.items()
        ]
        return {**super().get_context_data(**kwargs), "feeds": feeds, "entries": ENTRIES}
