"""One test per class of leak found so far, each written over every resource, record and relation,
so that it catches the whole class and not only the instance that was found.

1. A related record shown nested in another (an assurance's ``assessed_by`` ruling) is shown to
   the public exactly when its own API detail is — in lists, details and CSV.
2. A hidden record of any kind is nowhere for the public: its API detail and its page are a 404,
   and it is in no list, CSV, search, count or facet.
3. The website and the API agree: a page links or names a related record exactly when the API
   shows it; a pseudonymous person's real names reach staff on the site and in the API, in lists
   and on pages alike, and the public nowhere.
4. Staff opening a restricted record's page on the website, or a list page showing one, are
   logged, as in the API and the workspace.

The records are build_hidden_world's: hidden records of every kind linked to public ones by every
relation (tests/test_leak_crawl.py checks that none is missing).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from rest_framework import serializers
from rest_framework.test import APIClient

from cases import models as cases
from extraditions.api.renderers import csv_columns
from extraditions.api.serializers import (
    SummaryField,
    SummaryListField,
    SummarySerializer,
    api_url,
    stable_id,
    stable_id_field,
)
from extraditions.api.urls import router
from extraditions.models import RestrictedRecordView, Visibility
from sources.models import Source
from tests.api.conftest import (
    build_hidden_world,
    staff_user,
    viewer,  # noqa: F401  (a fixture: a member of staff's API client)
)
from tests.conftest import verify_second_factor
from treaties.models import Treaty

MARKER = "Vxqz"  # in no word of any language the seed or factories use
API = "http://testserver/api/v1/"
# The website's lists of records, and the kind each lists.
SITE_LISTS = {
    "/cases/": cases.Case, "/persons/": cases.Person, "/rulings/": cases.CourtRuling, "/notices/": cases.InterpolNotice,
    "/sources/": Source,
}
HREF = re.compile(r"""href="([^"#?]+)""")


@pytest.fixture
def hidden_world(db):
    return build_hidden_world(MARKER)


@pytest.fixture
def anonymous():
    return APIClient()


@pytest.fixture
def staff_site(db):
    """A member of staff logged in to the website, second factor passed."""
    client = Client()
    user = staff_user("site-staff")
    verify_second_factor(client, user)
    client.user = user
    return client


def record_resources():
    """(prefix, viewset) of every resource serving records (not the countries' summaries)."""
    return [(prefix, viewset) for prefix, viewset, _ in router.registry if getattr(viewset, "queryset", None) is not None]


def model_of_basename(basename: str):
    return next((model for model, name in router.model_basenames.items() if name == basename), None)


def detail_url(model, record_id: str) -> str:
    return "http://testserver" + reverse(f"api:{router.model_basenames[model]}-detail", kwargs={"id": record_id})


def record_at(url: str):
    """The record an API detail URL or a website record page names, or None."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name and match.url_name.endswith("-detail") and match.namespace == "api":
        model = model_of_basename(match.url_name.removesuffix("-detail"))
    else:
        model = getattr(getattr(match.func, "view_class", None), "model", None)
    if model is None or "id" not in match.kwargs:
        return None
    return model.objects.filter(**{stable_id_field(model): match.kwargs["id"]}).first()


def own_page(record) -> str | None:
    """The website page of ``record`` itself (not its case's page, for a detention), if it has one."""
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else None
    if not url:
        return None
    view = getattr(resolve(url.split("#")[0]).func, "view_class", None)
    return url if getattr(view, "model", None) is type(record) else None


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def csv_rows(client, url) -> dict[str, dict]:
    response = client.get(url, {"format": "csv"})
    assert response.status_code == 200, url
    return {row["id"]: row for row in csv.DictReader(io.StringIO(body(response)))}


class Statuses:
    """The status of each API URL for one client, asked once."""

    def __init__(self, client):
        self.client, self.known = client, {}

    def __call__(self, url: str) -> int:
        if url not in self.known:
            self.known[url] = self.client.get(url).status_code
        return self.known[url]


# --- 1. a nested record shows exactly when its own detail does ----------------------------------------


def unlinked_models(serializer, prefix: str = "") -> dict[str, type]:
    """Records nested by id without a URL (a case's detentions), by path: their model."""
    found = {}
    for name, field in serializer.fields.items():
        inner = field.child if isinstance(field, serializers.ListSerializer) else field
        if isinstance(inner, serializers.ModelSerializer) and not isinstance(inner, SummarySerializer):
            path = f"{prefix}{name}" + ("[]" if inner is not field else "")
            if "id" in inner.fields and "url" not in inner.fields and inner.Meta.model in router.model_basenames:
                found[path] = inner.Meta.model
            found |= unlinked_models(inner, f"{path}.")
    return found


def nested_refs(data, unlinked: dict, path: str = "") -> set[tuple[str, str]]:
    """(path, API URL) of every record nested in an answer about one record."""
    refs = set()
    if isinstance(data, dict):
        if path and isinstance(data.get("url"), str) and data["url"].startswith(API):
            refs.add((path, data["url"]))
        elif path in unlinked and data.get("id"):
            refs.add((path, detail_url(unlinked[path], str(data["id"]))))
        for key, value in data.items():
            refs |= nested_refs(value, unlinked, f"{path}.{key}" if path else key)
    elif isinstance(data, list):
        for item in data:
            refs |= nested_refs(item, unlinked, f"{path}[]")
    return refs


def summary_models(serializer) -> dict[str, type]:
    """The CSV columns that hold related records' ids, and the model of each."""
    models = {}
    for column in csv_columns(serializer):
        field = serializer.fields[column.name]
        if column.part == "id" and isinstance(field, SummaryField):
            models[column.header] = field.model
        elif column.part == "id" and isinstance(field, SummaryListField):
            models[column.header] = field.child_relation.model
    return models


def test_a_nested_record_shows_exactly_when_its_own_detail_does(hidden_world, anonymous, viewer):
    """For every field of every resource that nests a related record, and every public record: the
    public sees the nested record (list, detail, CSV) exactly when the related record's own
    /api/v1/<kind>/<id>/ answers them, not a 404. Staff, who see every link, say what there is."""
    status = Statuses(anonymous)
    wrong, hidden_links = [], 0

    def compare(where, staff_view, public_view, unlinked):
        nonlocal hidden_links
        public_refs = nested_refs(public_view, unlinked)
        for path, url in nested_refs(staff_view, unlinked) | public_refs:
            shown, visible = (path, url) in public_refs, status(url) == 200
            hidden_links += not visible
            if shown != visible:
                wrong.append(f"{where}: {path} → {url} is {'shown' if shown else 'left out'}, its own detail is a {status(url)}")

    for prefix, viewset in record_resources():
        url = f"/api/v1/{prefix}/"
        list_serializer = viewset.serializer_class(context={})
        detail_serializer = (viewset.detail_serializer_class or viewset.serializer_class)(context={})
        staff_list = {r["id"]: r for r in viewer.get(url, {"page_size": 1000}).json()["results"]}
        public_list = {r["id"]: r for r in anonymous.get(url, {"page_size": 1000}).json()["results"]}
        for record_id, record in public_list.items():
            compare(f"{prefix} list, {record_id}", staff_list[record_id], record, unlinked_models(list_serializer))
            compare(
                f"{prefix} detail, {record_id}", viewer.get(record["url"]).json(), anonymous.get(record["url"]).json(),
                unlinked_models(detail_serializer),
            )
        staff_rows, public_rows = csv_rows(viewer, url), csv_rows(anonymous, url)
        for column, model in summary_models(list_serializer).items():
            for record_id, row in public_rows.items():
                shown = {i for i in row[column].split("; ") if i}
                for related_id in {i for i in staff_rows[record_id][column].split("; ") if i} | shown:
                    related = detail_url(model, related_id)
                    if (related_id in shown) != (status(related) == 200):
                        wrong.append(f"{prefix} CSV, {record_id}: {column} {related_id} is "
                                     f"{'shown' if related_id in shown else 'left out'}, its own detail is a {status(related)}")
    assert hidden_links >= 20, "the hidden world links too few hidden records to public ones to test anything"
    assert not wrong, "\n".join(wrong)


# --- 2. a hidden record is nowhere ---------------------------------------------------------------------


def test_every_hidden_record_is_nowhere_for_the_public(hidden_world, anonymous, viewer, client):
    """Every hidden record of every kind: a 404 at its API detail and at its own page; in no list,
    CSV or search; and every count and facet counts exactly the public records."""
    hidden = hidden_world["hidden"]
    hidden_pks = defaultdict(set)
    for record in hidden:
        hidden_pks[type(record)].add(record.pk)
    found = []
    for record in hidden:
        url = api_url(record, None)
        if url and anonymous.get(url).status_code != 404:
            found.append(f"{url}: {anonymous.get(url).status_code}, not 404")
        page = own_page(record)
        if page and client.get(page).status_code != 404:
            found.append(f"{page}: {client.get(page).status_code}, not 404")
    for prefix, viewset in record_resources():
        model, url = viewset.queryset.model, f"/api/v1/{prefix}/"
        hidden_ids = {stable_id(r) for r in hidden if type(r) is model}
        answer = anonymous.get(url, {"page_size": 1000, **({"facet": list(viewset.facets)} if viewset.facets else {})}).json()
        found += [f"{url}: lists hidden {i}" for i in hidden_ids & {r["id"] for r in answer["results"]}]
        found += [f"{url}?format=csv: lists hidden {i}" for i in hidden_ids & set(csv_rows(anonymous, url))]
        public = model.objects.exclude(pk__in=hidden_pks[model])
        if answer["count"] != public.count():
            found.append(f"{url}: count {answer['count']}, but {public.count()} are public")
        public = viewset.filterset_class(QueryDict(), queryset=public).qs  # what the filters annotate (a treaty's status)
        for name, facet in viewset.facets.items():
            if answer["facets"][name] != facet.counts(public):
                found.append(f"{url}?facet={name}: {answer['facets'][name]}, but the public records give {facet.counts(public)}")
        if hidden_ids:
            if anonymous.get(url, {"q": MARKER}).json()["count"]:
                found.append(f"{url}?q={MARKER} finds hidden records")
            assert viewer.get(url, {"q": MARKER}).json()["count"], f"{url}?q={MARKER} finds nothing even for staff"
    public_search = anonymous.get("/api/v1/search/", {"q": MARKER, "limit": 50}).json()["results"]
    found += [f"/api/v1/search/?q={MARKER}: {kind} {hit['id']}" for kind, hits in public_search.items() for hit in hits]
    assert any(viewer.get("/api/v1/search/", {"q": MARKER}).json()["results"].values()), "the search finds nothing even for staff"
    pages = {own_page(record) for record in hidden} - {None}
    for url in SITE_LISTS:
        for params in ({}, {"q": MARKER}):
            listed = set(HREF.findall(body(client.get(url, params))))
            found += [f"{url}?{params}: links hidden {page}" for page in sorted(pages & listed)]
    assert not found, "\n".join(found)


# --- 3. the website and the API agree --------------------------------------------------------------------


def names_on_page(record, text: str, visible: bool) -> bool:
    """Whether a page links ``record``'s own page or names it. Names are looked for when they carry
    the marker (a hidden record's, a pseudonymous person's real name): a public label may be part
    of another ("Case public" of "Case public two")."""
    page = own_page(record)
    if page and f'href="{page}"' in text:
        return True
    labels = {record.public_label} if visible else {str(record), record.public_label}
    return any(MARKER in label and html.escape(label) in text for label in labels)


def related_on_page(text: str) -> set:
    return {record for record in map(record_at, HREF.findall(text)) if record is not None}


def test_the_website_shows_a_related_record_exactly_when_the_api_does(hidden_world, anonymous, viewer, staff_site, client):
    """For every public record with a page: every related record that staff see on the page or in
    the API is linked or named on the public page exactly when the public may open it in the API
    (a draft treaty invoked by a public case: not on the page, as the API says ``treaty: null``);
    and where both the page and the API show a relation to staff, they show it to the public alike."""
    status = Statuses(anonymous)
    wrong, kinds = [], set()
    for _prefix, viewset in record_resources():
        model = viewset.queryset.model
        for record in model.objects.public():
            page = own_page(record)
            if page is None:
                continue
            kinds.add(model)
            public_page, staff_page = body(client.get(page)), body(staff_site.get(page))
            unlinked = unlinked_models((viewset.detail_serializer_class or viewset.serializer_class)(context={}))
            api = api_url(record, None)
            public_api = {url for _, url in nested_refs(anonymous.get(api).json(), unlinked)}
            staff_api = {url for _, url in nested_refs(viewer.get(api).json(), unlinked)}
            related = related_on_page(staff_page) | {record_at(url) for url in staff_api} - {None, record}
            for other in related:
                other_api = api_url(other, None)
                visible = status(other_api) == 200
                on_public_page = names_on_page(other, public_page, visible)
                on_staff_page = names_on_page(other, staff_page, visible)
                if on_public_page and not visible:
                    wrong.append(f"{page} links or names {other_api}, a {status(other_api)} in the API")
                elif on_staff_page and visible and not on_public_page:
                    wrong.append(f"{page} shows {other_api} to staff only, yet the public may open it in the API")
                if on_staff_page and other_api in staff_api and on_public_page != (other_api in public_api):
                    wrong.append(f"{page} and {api} disagree on {other_api}: page {on_public_page}, API {other_api in public_api}")
    assert kinds >= {*SITE_LISTS.values(), Treaty}, "a kind of record page is missing"
    assert not wrong, "\n".join(sorted(set(wrong)))


def test_a_pseudonymous_persons_real_names_reach_staff_everywhere_and_the_public_nowhere(
    hidden_world, anonymous, viewer, staff_site, client, admin_user
):
    """Staff see a pseudonymous person's original name and legal names on the person's page and in
    the persons list, on the website and in the API (JSON and CSV); the public, and a session that
    has not passed a required second factor (an administrator's), in none of them."""
    person = hidden_world["public"]["pseudonymous"]
    real_names = [person.name_original, *person.aliases.exclude(kind=cases.AliasKind.PSEUDONYM).values_list("name", flat=True)]
    assert len(real_names) == 2 and all(MARKER in name for name in real_names)
    unverified = Client()
    unverified.force_login(admin_user)  # an administrator must pass the second factor: until then, the public
    api = api_url(person, None)
    channels = {
        "person page": (person.get_absolute_url(), {}),
        "persons list": ("/persons/", {}),
        "persons list, searched": ("/persons/", {"q": person.name}),
        "API person": (api, {}),
        "API persons list": ("/api/v1/persons/", {"page_size": 1000}),
        "API persons CSV": ("/api/v1/persons/", {"format": "csv"}),
        "API persons CSV, searched": ("/api/v1/persons/", {"format": "csv", "q": person.name}),
    }
    wrong = []
    for channel, (url, params) in channels.items():
        site = not url.startswith(("/api/", API))
        for who, client_, sees in (
            ("staff", staff_site if site else viewer, True),
            ("the public", client if site else anonymous, False),
            ("an unverified administrator", unverified, False),
        ):
            response = client_.get(url, params)
            assert response.status_code == 200, (channel, who, response.status_code)
            text = html.unescape(body(response))
            for name in real_names:
                if (name in text) != sees:
                    wrong.append(f"{channel} ({url}): {who} {'do not see' if sees else 'see'} {name!r}")
    assert not wrong, "\n".join(wrong)


# --- 4. staff reading a restricted record on the website are logged ----------------------------------------


def logged(user, record, channel="site") -> bool:
    return RestrictedRecordView.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk, channel=channel
    ).exists()


def is_restricted_record(record) -> bool:
    """Restricted itself or through what it belongs to (a ruling in a restricted case)."""
    model, condition = type(record), Q(pk__in=[])
    for path in (path.lstrip("?") for path in model.visibility_paths):
        condition |= Q(**{f"{path}__visibility" if path else "visibility": Visibility.RESTRICTED})
    return model.objects.filter(condition, pk=record.pk).exists()


def test_staff_opening_a_restricted_record_on_the_website_are_logged(hidden_world, staff_site):
    """Every kind of record page, opened by a verified member of staff for a restricted record
    (restricted itself, or through its case): a row in the restricted-views log, channel "site"."""
    restricted = [record for record in hidden_world["hidden"] if own_page(record) and is_restricted_record(record)]
    assert {type(record) for record in restricted} >= {*SITE_LISTS.values(), Treaty}, "a kind of record page is missing"
    assert hidden_world["named"]["ruling_in_restricted_case"] in restricted
    missing = []
    for record in restricted:
        response = staff_site.get(own_page(record))
        assert response.status_code == 200, own_page(record)
        if not logged(staff_site.user, record):
            missing.append(f"{own_page(record)} ({type(record).__name__})")
    assert not missing, "staff opened these restricted records' pages, and no site view was logged:\n" + "\n".join(missing)


def test_staff_shown_restricted_records_in_a_website_list_are_logged(hidden_world, staff_site):
    """A list page on the website that shows restricted records to staff logs each one, as the API's
    lists do: a row per record shown, channel "site"."""
    missing, shown = [], 0
    for url, model in SITE_LISTS.items():
        for record in related_on_page(body(staff_site.get(url))):
            if type(record) is model and is_restricted_record(record):
                shown += 1
                if not logged(staff_site.user, record):
                    missing.append(f"{url} showed {own_page(record)}")
    assert shown >= 5, "the lists showed staff too few restricted records to test anything"
    assert not missing, "no site view was logged for these restricted records in lists:\n" + "\n".join(missing)
