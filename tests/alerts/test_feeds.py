"""The Atom feeds of the public lists (alerts/feeds.py): valid Atom, newest first, the same records
as the list page with the same parameters, and never anything the public may not see, whoever asks."""

import datetime
import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts.listings import LISTINGS
from cases import models as cases
from extraditions.identifiers import stable_id_field
from extraditions.models import Visibility
from extraditions.visibility import SYSTEM
from sources.models import SourceKind
from tests import factories as f
from tests.api.conftest import build_hidden_world, staff_user
from tests.conftest import verify_second_factor

ATOM = "{http://www.w3.org/2005/Atom}"
MARKER = "Qzvx"  # build_hidden_world's marker: in no word the factories use
NAMES = sorted(LISTINGS)
SITE_LISTS = ["cases", "persons", "rulings", "notices", "sources"]  # the lists with a faceted page
WORLD_RECORD = {
    "cases": "case", "rulings": "ruling", "persons": "person", "notices": "notice", "sources": "source", "treaties": "treaty",
}

pytestmark = pytest.mark.django_db


def feed_url(name: str) -> str:
    return reverse("site:feed", args=[name])


def read_feed(response) -> ET.Element:
    """The feed of a response, checked for what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{required}") or "").strip(), required
    assert root.findtext(f"{ATOM}author/{ATOM}name") == settings.SITE_PUBLISHER  # so entries need none
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)), "an entry's id is unique"
    return root


def entries(root: ET.Element) -> list[dict]:
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "path": urlsplit(entry.find(f"{ATOM}link[@rel='alternate']").get("href")).path,
            "id": entry.findtext(f"{ATOM}id"),
            "updated": datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def feed_link(root: ET.Element, rel: str) -> str:
    return root.find(f"{ATOM}link[@rel='{rel}']").get("href")


def paths(records) -> list[str]:
    return [record.get_absolute_url() for record in records]


def get_feed(client, name: str, params=None) -> list[dict]:
    return entries(read_feed(client.get(feed_url(name), params or {})))


# --- every list's feed ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_every_lists_feed_is_atom_of_its_public_records(client, world, name):
    listing = LISTINGS[name]
    response = client.get(feed_url(name))
    root = read_feed(response)
    assert response["Cache-Control"] == "public, max-age=300"
    assert not response.has_header("Last-Modified")  # a withdrawal changes a feed with no newer date
    assert root.findtext(f"{ATOM}title") == f"{listing.title} — Extraditions tracker"
    assert feed_link(root, "alternate") == f"http://testserver{reverse(listing.page)}"
    assert feed_link(root, "self") == f"http://testserver{feed_url(name)}"

    found = entries(root)
    public = listing.model.objects.public()
    assert sorted(entry["path"] for entry in found) == sorted(paths(public)) and found
    record = world[WORLD_RECORD[name]]
    entry = next(entry for entry in found if entry["path"] == record.get_absolute_url())
    record.refresh_from_db()
    assert entry["title"] == record.public_label
    assert entry["id"] == f"urn:uuid:{record.uid}"
    assert entry["updated"] == record.updated_at
    own_text = {"persons": "biography", "notices": "notes", "sources": "notes", "treaties": "notes"}.get(name, "summary")
    if getattr(record, own_text):
        assert html.escape(getattr(record, own_text)) in entry["summary"]


def test_an_entry_says_what_the_list_page_says_of_the_record(client, world):
    """A line of facts, as the list's row gives them, and the record's own text, as its page shows it."""
    summaries = {name: get_feed(client, name)[0]["summary"] for name in NAMES}
    assert summaries == {
        "cases": "<p>Formal extradition · Sweden · Outcome: Pending</p><p>Summary public</p>",
        "rulings": "<p>Extradition refused · Case: Case public · Grounds: ECHR art. 3 · Assurances: not assessed</p>"
        "<p>Refused public</p>",
        "persons": f"<p>Situation: Unknown · {world['group'].name}</p><p>Biography public</p>",
        "notices": "<p>Status: Unknown · Case: Case public</p><p>Notice public</p>",
        "sources": "<p>NGO report · Safeguard Defenders</p>",
        "treaties": "<p>Extradition · Sweden · signed 1 May 2010</p><p>Notes public</p>",
    }
    assert get_feed(client, "rulings")[0]["title"] == "Supreme Court of Sweden, 4 May 2020"
    assert get_feed(client, "notices")[0]["title"] == "Red Notice: Person public (undated)"


def test_text_is_escaped_once(client):
    f.CaseFactory(title="Lee & Ko <case>", summary="Held <b>not</b> safe & sound")
    entry = get_feed(client, "cases")[0]
    assert entry["title"] == "Lee & Ko <case>"  # Atom's title is text
    assert "<p>Held &lt;b&gt;not&lt;/b&gt; safe &amp; sound</p>" in entry["summary"]  # and its summary HTML


def test_newest_updated_first_and_at_most_fifty(client):
    sources = f.SourceFactory.create_batch(53)
    start = timezone.now() - datetime.timedelta(days=60)
    for days, source in enumerate(sources):
        type(source).objects.filter(pk=source.pk).update(updated_at=start + datetime.timedelta(days=days))
    # A record changed last comes first, whenever it was made.
    type(sources[0]).objects.filter(pk=sources[0].pk).update(updated_at=timezone.now())
    found = get_feed(client, "sources")
    assert len(found) == 50
    assert found[0]["path"] == sources[0].get_absolute_url()
    assert [entry["path"] for entry in found[1:]] == paths(sources[-1:-50:-1])
    assert [entry["updated"] for entry in found] == sorted((entry["updated"] for entry in found), reverse=True)


def test_records_changed_in_the_same_instant_keep_one_order(client):
    cases_ = f.CaseFactory.create_batch(3)
    moment = timezone.now()
    cases.Case.objects.update(updated_at=moment)
    assert [entry["path"] for entry in get_feed(client, "cases")] == paths(reversed(cases_))


# --- the same records as the list page, for the same parameters ------------------------------------------


@pytest.fixture
def varied_world(world):
    """The public world, and one more public record of each list that a filter, a search for
    "torture" (rulings: "Xinjiang", as the public ruling's ground is the prohibition of torture),
    or both select."""
    case = f.CaseFactory(title="Case in Thailand", host_country="TH", summary="Feared torture on return.")
    ruling = f.CourtRulingFactory(
        case=case, summary="A real risk of torture in Xinjiang.", decision=cases.RulingDecision.EXTRADITION_PERMITTED,
    )
    f.PersonFactory(name="Torture Survivor", current_situation=cases.CurrentSituation.RELEASED, biography="Tortured.")
    f.InterpolNoticeFactory(kind=cases.NoticeKind.DIFFUSION, notes="Sought despite torture claims.").cases.add(case)
    f.SourceFactory(title="Torture in custody", kind=SourceKind.NEWS_ARTICLE, publisher="Bangkok Post")
    f.TreatyFactory(
        title="Treaty with Thailand", counterpart="TH", notes="Torture clause disputed.",
        in_force_on=datetime.date(2012, 1, 1), in_force_on_precision="day",
    )
    return {**world, "ruling_two": ruling}


FILTERS = {
    "cases": [{"host_country": "TH"}, {"q": "torture"}, {"q": "torture", "kind": "formal_extradition", "host_country": "th"}],
    "rulings": [{"ground": "echr-3"}, {"q": "Xinjiang"}, {"decision": ["extradition_permitted", "remanded"]}],
    "persons": [{"current_situation": "released"}, {"q": "torture"}, {"q": "Person public"}],
    "notices": [{"kind": "diffusion"}, {"q": "torture"}, {"host_country": "TH", "status": "unknown"}],
    "sources": [{"kind": "news_article"}, {"q": "torture"}, {"publisher": "bangkok"}],
    "treaties": [{"counterpart": "TH"}, {"q": "torture"}, {"kind": "extradition", "status": "in_force"}],
}
FILTERED = [(name, params) for name, choices in FILTERS.items() for params in choices]


def api_paths(client, name: str, params: dict) -> set[str]:
    """What the API's list gives for the same parameters, as the records' pages."""
    model = LISTINGS[name].model
    answer = client.get(f"/api/v1/{name}/", {**params, "page_size": 1000})
    assert answer.status_code == 200, answer.content
    ids = [row["id"] for row in answer.json()["results"]]
    return set(paths(model.objects.filter(**{f"{stable_id_field(model)}__in": ids})))


@pytest.mark.parametrize(("name", "params"), FILTERED, ids=[f"{n}-{'&'.join(p)}" for n, p in FILTERED])
def test_a_filtered_or_searched_feed_lists_what_the_list_lists(client, varied_world, name, params):
    found = get_feed(client, name, params)
    listed = {entry["path"] for entry in found}
    if name in SITE_LISTS:
        page = client.get(reverse(LISTINGS[name].page), params)
        assert page.status_code == 200
        assert listed == set(paths(page.context["object_list"]))
    assert listed == api_paths(client, name, params)
    everything = LISTINGS[name].model.objects.public().count()
    if name != "persons" or "q" not in params or params["q"] == "torture":  # "Person public" finds whom it finds
        assert 0 < len(listed) < everything, "the parameters select some of the list, not all or none"


def test_a_filtered_feed_says_what_it_is_limited_to(client, varied_world):
    root = read_feed(client.get(feed_url("rulings"), {"q": "torture", "decision": "extradition_permitted", "page": "2"}))
    assert root.findtext(f"{ATOM}title") == (
        "Court rulings matching “torture”, decision: Extradition permitted — Extraditions tracker"
    )
    # Its links keep the parameters that select records, in a stable order, and no others.
    assert feed_link(root, "alternate") == "http://testserver/rulings/?decision=extradition_permitted&q=torture"
    assert feed_link(root, "self") == "http://testserver/feeds/rulings/?decision=extradition_permitted&q=torture"
    countries = read_feed(client.get(feed_url("cases"), {"host_country": ["th", "SE"]}))
    assert countries.findtext(f"{ATOM}title") == "Cases matching host country: Sweden or Thailand — Extraditions tracker"
    unknown = read_feed(client.get(feed_url("cases"), {"host_country": "none"}))
    assert unknown.findtext(f"{ATOM}title") == "Cases matching host country: unknown — Extraditions tracker"


def test_the_treaties_feed_links_the_treaty_map(client, world):
    root = read_feed(client.get(feed_url("treaties"), {"counterpart": "SE"}))
    assert feed_link(root, "alternate") == "http://testserver/treaties/map/?counterpart=SE"
    assert client.get("/treaties/map/", {"counterpart": "SE"}).status_code == 200


# --- only what the public may see -----------------------------------------------------------------------------


@pytest.fixture
def hidden_world(db):
    return build_hidden_world(MARKER)


def without_own_description(root: ET.Element) -> bytes:
    """The feed without what describes the feed itself (its title and links repeat the search)."""
    for element in [*root.findall(f"{ATOM}title"), *root.findall(f"{ATOM}link"), *root.findall(f"{ATOM}id")]:
        root.remove(element)
    return ET.tostring(root)


@pytest.mark.parametrize("name", NAMES)
def test_no_feed_shows_a_hidden_record_or_name(client, hidden_world, name):
    # The positive control: there are hidden records of this list that a search for the marker finds.
    assert LISTINGS[name].records(QueryDict(f"q={MARKER}"), SYSTEM)[0].exists()
    everything = client.get(feed_url(name))
    assert MARKER.lower().encode() not in everything.content.lower()
    assert entries(read_feed(everything)), "the public records are listed"
    searched = read_feed(client.get(feed_url(name), {"q": MARKER}))
    assert not entries(searched)
    assert MARKER.lower().encode() not in without_own_description(searched).lower()


def test_the_pseudonymous_person_is_named_by_the_pseudonym_only(client, hidden_world):
    pseudonymous = hidden_world["public"]["pseudonymous"]
    entry = next(e for e in get_feed(client, "persons") if e["path"] == pseudonymous.get_absolute_url())
    assert entry["title"] == "Pseudonym A" and "pseudonym" in entry["summary"]
    notice = next(e for e in get_feed(client, "notices") if e["path"] == hidden_world["public"]["notice_two"].get_absolute_url())
    assert notice["title"] == "Red Notice: Pseudonym A (undated)"
    assert "Case:" not in notice["summary"]  # its only other case is restricted


def test_staff_get_the_public_feed(client, hidden_world):
    anonymous = {name: client.get(feed_url(name)).content for name in NAMES}
    verify_second_factor(client, staff_user("viewer", "cases.view_case"))
    assert MARKER.encode() in client.get("/cases/", {"q": MARKER}).content  # staff do see hidden records elsewhere
    for name in NAMES:
        staff = client.get(feed_url(name))
        assert staff.content == anonymous[name], name
        assert staff["Cache-Control"] == "public, max-age=300"
    assert not entries(read_feed(client.get(feed_url("cases"), {"q": MARKER})))


def test_a_filter_on_a_hidden_record_is_refused_as_if_it_did_not_exist_even_for_staff(client, hidden_world):
    secret = hidden_world["restricted"]["case"]
    secret.refresh_from_db()  # its slug now carries the marker
    verify_second_factor(client, staff_user("viewer", "cases.view_case"))
    assert client.get("/rulings/", {"case": secret.slug}).context["object_list"]  # staff's page lists its ruling
    hidden = client.get(feed_url("rulings"), {"case": secret.slug})
    missing = client.get(feed_url("rulings"), {"case": "no-such-case"})
    assert hidden.status_code == missing.status_code == 400
    assert hidden.content.decode().replace(secret.slug, "X") == missing.content.decode().replace("no-such-case", "X")


# --- answers ----------------------------------------------------------------------------------------------------


def test_a_value_a_filter_refuses_is_a_400_that_says_what_it_takes(client, world):
    response = client.get(feed_url("rulings"), {"decision": "nonsense", "decided_after": "2019"})
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "decision: " in text and "nonsense" in text
    assert "Allowed: one or more of extradition_refused, extradition_permitted" in text
    assert "decided_after" not in text  # a value understood is not blamed
    assert "/api/v1/rulings/" in text  # where every filter is documented
    dates = client.get(feed_url("cases"), {"started_after": "2019-13"}).content.decode()
    assert "started_after: Enter a date as YYYY, YYYY-MM or YYYY-MM-DD." in dates


def test_parameters_no_list_takes_are_ignored_as_on_the_page(client, world):
    assert get_feed(client, "cases", {"utm_source": "newsletter", "page": "3"}) == get_feed(client, "cases")


@pytest.mark.parametrize("name", ["unknown", "figures", "Cases"])
def test_an_unknown_list_is_a_404(client, name):
    assert client.get(f"/feeds/{name}/").status_code == 404


def test_rss_goes_to_the_feeds(client):
    response = client.get("/rss/")
    assert response.status_code == 301 and response["Location"] == "/feeds/"


def test_a_reader_that_holds_the_feed_is_told_it_has_not_changed(client, world):
    first = client.get(feed_url("cases"))
    assert first["ETag"]
    assert client.get(feed_url("cases"), headers={"if-none-match": first["ETag"]}).status_code == 304


def test_the_index_page_lists_every_feed(client):
    response = client.get("/feeds/")
    assert response.status_code == 200
    text = response.content.decode()
    for name, listing in LISTINGS.items():
        assert f'<link rel="alternate" type="application/atom+xml" title="{listing.title}: new and updated" href="{feed_url(name)}">' in text
        assert f'href="{feed_url(name)}"' in text and f'href="{reverse(listing.page)}"' in text
    assert "<title>Feeds — Extraditions tracker</title>" in text
    assert "Follow this search" in text  # it says where a search's own feed is


# --- the list pages link their feed ------------------------------------------------------------------------------

ALTERNATE = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">')
PAGE_PARAMS = {
    "cases": {"q": "torture", "host_country": "TH", "page": "1"},
    "persons": {"current_situation": "released"},
    "rulings": {"decision": ["extradition_refused", "extradition_permitted"], "q": "torture"},
    "notices": {"kind": "diffusion"},
    "sources": {"q": "torture"},
}


@pytest.mark.parametrize("name", SITE_LISTS)
def test_each_list_page_links_its_feed_with_the_same_parameters(client, varied_world, name):
    listing = LISTINGS[name]
    plain = client.get(reverse(listing.page)).content.decode()
    assert ALTERNATE.search(plain).group(2) == feed_url(name)
    page = client.get(reverse(listing.page), PAGE_PARAMS[name])
    text = page.content.decode()
    title, href = ALTERNATE.search(text).groups()
    href = html.unescape(href)
    query = QueryDict(mutable=True)
    for key, value in PAGE_PARAMS[name].items():
        query.setlist(key, value if isinstance(value, list) else [value])
    assert href == f"{feed_url(name)}?{listing.params_of(query).urlencode()}"
    assert "page=" not in href and title.endswith("(this search): new and updated")
    assert f'href="{html.escape(href)}" type="application/atom+xml">Atom feed</a>' in text  # the "Follow" box
    # Followed, it lists what the page lists.
    found = {entry["path"] for entry in entries(read_feed(client.get(href)))}
    assert found == set(paths(page.context["object_list"])) and found


# --- cost ---------------------------------------------------------------------------------------------------------


def add_records(name: str, count: int) -> None:
    """``count`` public records of a list, each with the related records its entry shows."""
    group = f.AffiliationFactory()
    provision = f.LegalProvisionFactory()
    for _ in range(count):
        if name == "cases":
            f.CaseFactory()
        elif name == "rulings":
            f.CourtRulingFactory().grounds.add(provision)
        elif name == "persons":
            f.PersonFactory().affiliations.add(group)
        elif name == "notices":
            f.InterpolNoticeFactory().cases.add(f.CaseFactory())
        elif name == "sources":
            f.SourceFactory()
        else:
            f.TreatyFactory()


@pytest.mark.parametrize("name", NAMES)
def test_a_feeds_queries_do_not_grow_with_its_entries(client, name):
    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            read_feed(client.get(feed_url(name), params))
        return len(captured)

    add_records(name, 3)
    few = [queries({}), queries({"updated_since": "2000-01-01T00:00:00Z"})]
    add_records(name, 7)
    assert len(entries(read_feed(client.get(feed_url(name))))) == 10
    assert [queries({}), queries({"updated_since": "2000-01-01T00:00:00Z"})] == few


# --- with the public answer cache ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_feeds_are_served_from_the_answer_cache_and_follow_the_data(client, settings):
    settings.PUBLIC_ANSWER_CACHE = True
    case = f.CaseFactory(title="Cached case")
    first = client.get(feed_url("cases"))
    assert first["X-Answer-Cache"] == "miss"
    again = client.get(feed_url("cases"))
    assert again["X-Answer-Cache"] == "hit" and again.content == first.content
    assert again["Content-Type"] == "application/atom+xml; charset=utf-8" and again["Cache-Control"] == "public, max-age=300"
    # Staff are never answered from the cache, and get what the public gets.
    verify_second_factor(client, staff_user("viewer", "cases.view_case"))
    staff = client.get(feed_url("cases"))
    assert "X-Answer-Cache" not in staff and staff.content == first.content
    client.logout()
    # A record withdrawn leaves the feed at once.
    case.visibility = Visibility.RESTRICTED
    case.save()
    after = client.get(feed_url("cases"))
    assert after["X-Answer-Cache"] == "miss" and b"Cached case" not in after.content
