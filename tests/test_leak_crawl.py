"""The public face of the tracker, crawled as a stranger would: no restricted or draft record, and
no hidden name of a pseudonymous person, appears anywhere.

Restricted and draft records of every kind, linked to public ones, carry a marker in every text
field (tests/api/conftest.build_hidden_world). The crawl starts from the home page, the sitemap,
robots.txt, the API's root, schema and docs, and searches for words the hidden records hold, then follows every
link it finds: hrefs in pages, URLs in API answers, locations in the sitemap. Every answer must
be a success or a redirect, and no answer may contain the marker.

Around the crawl: staff searching the same words do find the marker (else a broken search would
pass it); adding the hidden world to the public one changes no public answer (counts, facets,
figures, CSV); and the hidden world has an example of every relation between records, both ways.
"""

import difflib
import json
import re
from collections import deque
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from extraditions.api.urls import router
from extraditions.models import CitableModel
from tests.api.conftest import (
    add_hidden_world,
    build_hidden_world,
    build_public_world,
    staff_user,
    viewer,  # noqa: F401  (a fixture: a member of staff's API client)
)
from tests.conftest import verify_second_factor

MARKER = "Qzvx"  # in no word of any language the seed or factories use
# Searches for words that hidden records hold next to the marker ("Qzvx Person", "Case Qzvx draft",
# "Qzvx real name"): a leak would show the marker in the results, and the page's echo of the
# query does not contain it. Each word finds hidden records of some kind for staff, and each
# search below finds some with one of the words (test_staff_searching_the_same_words_find_the_marker).
SEARCHES = [
    "person", "case", "summary", "refused", "treaty", "report", "alias", "real name", "prison", "notice",
    "counted", "vote", "cited", "breach", "promise", "judgment",
]
ROOTS = [
    "/", "/sitemap.xml", "/robots.txt", "/api/v1/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/",
    "/api/v1/stats/",
    *(f"/api/v1/search/?q={quote(words)}" for words in SEARCHES),
    *(f"/{kind}/?q={quote(words)}" for kind in ("cases", "persons", "rulings", "notices", "sources") for words in SEARCHES),
    *(
        f"/api/v1/{prefix}/?q={quote(words)}&format=csv"
        for prefix, _, _ in router.registry if prefix != "countries" for words in SEARCHES
    ),
]
NOT_PUBLIC = ("/admin/", "/api-auth/", "/static/")
LIMIT = 3000  # the crawl covers the small world several times over well below this

HREF = re.compile(rb"""(?:href|src)="([^"#]+)""")
LOC = re.compile(rb"<loc>([^<]+)</loc>")


def links(body: bytes, content_type: str, base: str) -> list[str]:
    if content_type.startswith("text/html"):
        found = [m.decode() for m in HREF.findall(body)]
    elif "xml" in content_type:
        found = [m.decode() for m in LOC.findall(body)]
    elif "json" in content_type:
        found = [value for value in strings(json.loads(body)) if value.startswith(("http://testserver/", "/"))]
    else:
        return []
    return [urljoin(base, link.replace("&amp;", "&")) for link in found]


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def is_public_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.netloc in ("", "testserver") and not parts.path.startswith(NOT_PUBLIC)


@pytest.mark.django_db
def test_no_public_url_shows_a_hidden_record(client):
    world = build_hidden_world(MARKER)
    assert len(world["hidden"]) >= 25
    seen, queue, crawled = set(ROOTS), deque((root, "start") for root in ROOTS), 0
    while queue:
        url, linked_from = queue.popleft()
        response = client.get(url)
        crawled += 1
        assert response.status_code in (200, 301, 302) or (  # the API root lists /search/, which needs ?q=
            response.status_code == 400 and response["Content-Type"] == "application/problem+json"
        ), (url, response.status_code, f"linked from {linked_from}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert MARKER.lower().encode() not in body.lower(), (url, f"linked from {linked_from}")
        targets = [response["Location"]] if response.status_code in (301, 302) else []
        targets += links(body, response.get("Content-Type", ""), "http://testserver" + url)
        for target in targets:
            path = urlsplit(target)._replace(scheme="", netloc="").geturl()
            # One level of query strings (a facet, a page, a search, a format), not their combinations.
            if urlsplit(path).query and urlsplit(url).query and url not in ROOTS:
                continue
            if is_public_page(target) and path not in seen:
                seen.add(path)
                queue.append((path, url))
        assert crawled < LIMIT, "the crawl does not end: a link loop?"
    # It went everywhere: every kind of public page and API answer was reached.
    for expected in ("/cases/", "/persons/", "/rulings/", "/notices/", "/sources/", "/treaties/map/", "/countries/",
                     "/api/v1/cases/", "/api/v1/citations/", "/sitemap-cases.xml", "format=csv"):
        assert any(expected in path for path in seen), expected
    for record in world["public"].values():
        if hasattr(record, "get_absolute_url") and record.get_absolute_url():
            assert record.get_absolute_url().split("#")[0] in seen, record


# --- positive controls: the same searches, by staff, do find the hidden records ----------------------

SEARCH_ROOTS = [root for root in ROOTS if "q=" in root]


def search_channel(url: str) -> str:
    """The list or search a URL asks, without its words: "/api/v1/search/", "/cases/", …"""
    parts = urlsplit(url)
    return parts.path + ("?format=csv" if "format=csv" in parts.query else "")


def shows_marker(response) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return MARKER.lower().encode() in body.lower()


@pytest.mark.django_db
def test_staff_searching_the_same_words_find_the_marker(client):
    """Without this, a search that found nothing at all would let the crawl pass: every search
    channel the crawl starts from must find a hidden record for a verified member of staff with
    some of the crawl's words, and each of the words must find one in some channel."""
    world = build_hidden_world(MARKER)
    verify_second_factor(client, staff_user("searcher"))
    found = {url: shows_marker(client.get(url)) for url in SEARCH_ROOTS}
    # Reference data (affiliations, legal provisions) is never hidden: nothing for staff to find there.
    kinds_hidden = {type(record) for record in world["hidden"]}
    reference = {f"/api/v1/{p}/?format=csv" for p, v, _ in router.registry if getattr(v, "queryset", None) is not None
                 and v.queryset.model not in kinds_hidden}
    channels = {search_channel(url) for url in SEARCH_ROOTS} - reference
    blind_channels = sorted(c for c in channels if not any(found[u] for u in SEARCH_ROOTS if search_channel(u) == c))
    assert not blind_channels, f"these searches find no hidden record even for staff: {blind_channels}"
    blind_words = [w for w in SEARCHES if not any(found[u] for u in SEARCH_ROOTS if f"q={quote(w)}" in u)]
    assert not blind_words, f"these words find no hidden record even for staff: {blind_words}"


@pytest.mark.django_db
def test_staff_searching_the_marker_find_hidden_records_of_every_kind(viewer):
    """The positive control of the API's "a search for the marker finds nothing" (tests/api/
    test_redaction.py): the same search by staff finds the hidden records of each kind that has
    any, in every list and in /api/v1/search/."""
    world = build_hidden_world(MARKER)
    kinds_hidden = {type(record) for record in world["hidden"]}
    for prefix, viewset, _ in router.registry:
        model = getattr(viewset, "queryset", None) is not None and viewset.queryset.model
        if model in kinds_hidden:
            assert viewer.get(f"/api/v1/{prefix}/", {"q": MARKER}).json()["count"] >= 1, prefix
    results = viewer.get("/api/v1/search/", {"q": MARKER}).json()["results"]
    assert all(results[kind] for kind in results), {kind: len(hits) for kind, hits in results.items()}


# --- hidden records change no public answer: counts, facets, stats, CSV ------------------------------

SITE_LISTS = ["/", "/cases/", "/persons/", "/rulings/", "/notices/", "/sources/", "/figures/", "/treaties/map/"]


def body_of(response):
    assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/json"):
        return json.loads(body)  # relevance included: hidden records must not move a public score
    return body.decode()


def anonymous_answers(client) -> dict:
    """Every public answer about many records at once: each list of the API with every facet it
    declares, as JSON and CSV, with and without each search; the figures, the countries, the
    search, and the website's lists with their facets."""
    answers = {}

    def get(url, **params):
        answers[url + (f"?{urlencode(params, doseq=True)}" if params else "")] = body_of(client.get(url, params))

    for prefix, viewset, _ in router.registry:
        url = f"/api/v1/{prefix}/"
        if prefix == "countries":
            get(url)
            get(url, format="csv")
            for country in client.get(url).json()["results"]:
                get(f"{url}{country['id']}/")
            continue
        facets = list(viewset.facets)
        get(url, page_size=1000, **({"facet": facets} if facets else {}))
        get(url, format="csv")
        for words in SEARCHES:
            get(url, q=words, page_size=1000, **({"facet": facets} if facets else {}))
    get("/api/v1/stats/")
    for words in SEARCHES:
        get("/api/v1/search/", q=words, limit=50)
    for url in SITE_LISTS:
        get(url)
    for url in ("/cases/", "/persons/", "/rulings/", "/notices/", "/sources/"):
        for words in SEARCHES:
            get(url, q=words)
    return answers


def change_stamps() -> dict:
    return {
        (model, pk): stamp
        for model in router.model_basenames
        for pk, stamp in model.objects.values_list("pk", "updated_at")
    }


def differences(before, after, path: str = "") -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in sorted(set(before) | set(after), key=str):
            if key not in after:
                found.append(f"{path}.{key} is gone")
            elif key not in before:
                found.append(f"{path}.{key} appears: {str(after[key])[:200]}")
            else:
                found += differences(before[key], after[key], f"{path}.{key}")
        return found
    if isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            return [f"{path}: {len(before)} items, then {len(after)}: {str(after)[:300]}"]
        return [d for index, (b, a) in enumerate(zip(before, after, strict=True)) for d in differences(b, a, f"{path}[{index}]")]
    if isinstance(before, str) and isinstance(after, str) and "\n" in before + after:
        changed = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
        return [f"{path}: " + " | ".join(changed[2:12])] if changed else []
    return [] if before == after else [f"{path}: {str(before)[:200]} → {str(after)[:200]}"]


@pytest.mark.django_db
def test_hidden_records_change_no_public_answer(client):
    """The public world alone, then with the whole hidden world added: every public answer about
    many records (counts, facets, figures, CSV, searches, the website's lists) is the same.

    The hidden world changes some public records' links (a public case now invokes a draft treaty,
    a public assurance was assessed by a hidden ruling); their ``updated_at`` is set back to what
    it was, so that only what the public may see can differ. The two treaties that public requests
    invoke are in both worlds: a request on a treaty must name it.
    """
    public, partners = build_public_world(MARKER)
    cache.clear()
    without = anonymous_answers(client)
    stamps = change_stamps()
    add_hidden_world(public, partners, MARKER)
    for (model, pk), stamp in stamps.items():
        model.objects.filter(pk=pk).exclude(updated_at=stamp).update(updated_at=stamp)
    cache.clear()
    with_hidden = anonymous_answers(client)
    changed = {url: differences(without[url], with_hidden[url]) for url in without}
    changed = {url: found for url, found in changed.items() if found}
    assert not changed, "hidden records change public answers:\n" + "\n".join(
        f"{url}\n    " + "\n    ".join(found[:5]) for url, found in changed.items()
    )


# --- the hidden world is complete: a hidden example of every relation, both ways --------------------


def relation_pairs(model):
    """(relation name, target model, [(source pk, target pk)]) for each link of ``model`` to a
    record the API serves: foreign keys, many-to-many fields and generic links (one per target kind)."""
    served = router.model_basenames
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: walked from the other side
        if isinstance(field, GenericForeignKey):
            kinds = ContentType.objects.get_for_models(*[m for m in served if issubclass(m, CitableModel)])
            for target, content_type in kinds.items():
                rows = model.objects.filter(**{field.ct_field: content_type}).values_list("pk", field.fk_field)
                yield field.name, target, list(rows)
        elif field.many_to_one and field.related_model in served:
            yield field.name, field.related_model, list(model.objects.exclude(**{f"{field.attname}__isnull": True}).values_list("pk", field.attname))
        elif field.many_to_many and field.concrete and field.remote_field.through._meta.auto_created and field.related_model in served:
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            yield field.name, field.related_model, list(through.objects.values_list(f"{source}_id", f"{target}_id"))


def visibility_links(model) -> set[str]:
    """The first link of each path that decides ``model``'s visibility: its record is visible only
    if what that link reaches is (the generic link of a citation included)."""
    paths = [path.lstrip("?") for path in model.visibility_paths]
    paths += list(getattr(model, "visibility_generic_paths", ()))
    paths += [field.name for field in model._meta.private_fields if isinstance(field, GenericForeignKey)]
    return {path.split("__")[0] for path in paths if path}


def hidden_only_through(model, link: str) -> bool:
    """Whether ``model``'s records are hidden only when ``link``'s target is (an assurance by its case)."""
    paths = [path.lstrip("?") for path in model.visibility_paths]
    return (
        bool(paths)
        and all(path.split("__")[0] == link for path in paths)
        and getattr(model, "public_condition", None) is None
        and not getattr(model, "visibility_generic_paths", ())
    )


def can_be_hidden(model) -> bool:
    return model.objects.public().query.has_filters()


@pytest.mark.django_db
def test_the_hidden_world_has_a_hidden_example_of_every_relation():
    """For every link between the records the API serves (foreign key, many-to-many, generic), the
    hidden world has a public record linked to a hidden one and a hidden record linked to a public
    one, unless the visibility rules make it impossible (a detention's case is never hidden while
    the detention is public; a legal provision is never hidden). A new relation without examples
    fails here, so that the crawl and tests/test_visibility_classes.py try it."""
    world = build_hidden_world(MARKER)
    hidden = {(type(record), record.pk) for record in world["hidden"]}
    missing = []
    for model in router.model_basenames:
        for name, target, pairs in relation_pairs(model):
            directions = []
            if can_be_hidden(target) and name not in visibility_links(model):
                directions.append(("public", "hidden"))
            if can_be_hidden(model) and not hidden_only_through(model, name):
                directions.append(("hidden", "public"))
            for source_side, target_side in directions:
                if not any(
                    ((model, a) in hidden) == (source_side == "hidden") and ((target, b) in hidden) == (target_side == "hidden")
                    for a, b in pairs
                ):
                    missing.append(f"a {source_side} {model.__name__} whose {name} is a {target_side} {target.__name__}")
    assert not missing, "the hidden world lacks:\n" + "\n".join(missing)
