"""The apparatus of a publication a newsroom can quote: who publishes it, how to reach them, the
data's licence, corrections, how to cite; a description and a link-preview card on every page;
the day each record was last updated."""

from __future__ import annotations

import re

import pytest

from tests.pages import page

pytestmark = pytest.mark.django_db

PAGES = ["/", "/cases/", "/persons/", "/rulings/", "/notices/", "/sources/", "/figures/", "/treaties/map/", "/about/", "/data/"]


def meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return found.group(1) if found else ""


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_description_and_a_link_preview(client, world, url):
    html = page(client, url)
    description = meta(html, "name", "description")
    assert 50 <= len(description) <= 200, description
    assert meta(html, "property", "og:description") == description
    assert meta(html, "property", "og:title") and meta(html, "property", "og:url") == f"http://testserver{url}"
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert meta(html, "name", "twitter:card") == "summary"


def test_a_records_page_is_described_by_its_summary_and_says_when_it_was_last_updated(client, world):
    case = world["case"]
    html = page(client, case.get_absolute_url())
    assert meta(html, "name", "description") == " ".join(case.summary.split())[:200]
    assert meta(html, "property", "og:type") == "article"
    assert f'Last updated <time datetime="{case.updated_at.isoformat()}' in html.replace("+00:00", "+00:00")
    assert 'href="/about/#corrections"' in html


def test_the_about_page_names_the_publisher_contact_licence_corrections_and_how_to_cite(client, settings):
    settings.SITE_PUBLISHER, settings.SITE_CONTACT_EMAIL = "Example Rights Watch", "tracker@example.org"
    html = page(client, "/about/")
    assert "published by Example Rights Watch" in html and 'href="mailto:tracker@example.org"' in html
    assert 'id="corrections"' in html and 'id="licence"' in html and 'id="cite"' in html
    assert 'rel="license"' in html and "Creative Commons Attribution 4.0 International" in html
    footer = html.split('<footer class="site">')[1]
    assert "Example Rights Watch" in footer and 'href="/about/"' in footer
