"""The public face of the tracker, crawled as a stranger would: no restricted or draft record, and
no hidden name of a pseudonymous person, appears anywhere.

Restricted and draft records of every kind, linked to public ones, carry a marker in every text
field (tests/api/conftest.build_hidden_world). The crawl starts from the home page, the sitemap,
robots.txt, the API's root, schema and docs, and searches for words the hidden records hold, then follows every
link it finds: hrefs in pages, URLs in API answers, locations in the sitemap. Every answer must
be a success or a redirect, and no answer may contain the marker.
"""

import json
import re
from collections import deque
from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.api.conftest import build_hidden_world

MARKER = "Qzvx"  # in no word of any language the seed or factories use
# Searches for words that hidden records hold next to the marker ("Qzvx Person", "Case Qzvx draft",
# "Qzvx real name"): a leak would show the marker in the results, and the page's echo of the
# query does not contain it.
SEARCHES = ["person", "case", "summary", "refused", "treaty", "report", "alias", "real name", "prison", "notice"]
ROOTS = [
    "/", "/sitemap.xml", "/robots.txt", "/api/v1/", "/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/",
    "/api/v1/stats/",
    *(f"/api/v1/search/?q={quote(words)}" for words in SEARCHES),
    *(f"/{kind}/?q={quote(words)}" for kind in ("cases", "persons", "rulings") for words in SEARCHES),
    *(f"/api/v1/{kind}/?q={quote(words)}&format=csv" for kind in ("cases", "persons") for words in SEARCHES),
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
