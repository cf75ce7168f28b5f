"""On a phone, every page type passes axe-core (contrast, tap targets of WCAG 2.2, names), has a
description for search engines and link previews, keeps the navigation to one line, and puts a
list's results before its filters."""

from __future__ import annotations

import pytest

from tests.browser import axe
from tests.browser.conftest import shot
from tests.browser.test_public_site import site, visit  # noqa: F401  (the seeded site, a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_page_type_reads_well_on_a_phone(site, phone):
    found, undescribed = {}, []
    for name, url in site.items():
        visit(phone, url)
        if violations := axe.violations(phone):
            found[name] = violations
        if not phone.locator('meta[name="description"]').get_attribute("content"):
            undescribed.append(name)
    assert not found, f"axe-core found serious or critical violations on a phone: {found}"
    assert not undescribed, f"pages without a description: {undescribed}"


def test_the_navigation_is_one_line_and_results_come_before_filters(site, phone):
    visit(phone, site["rulings"])
    nav = phone.locator("header.site nav").bounding_box()
    link = phone.locator("header.site nav a").first.bounding_box()
    assert nav["height"] < 2 * link["height"], "the navigation wraps onto more than one line"
    first_result = phone.locator("#results > li").first.bounding_box()
    filters = phone.locator("aside.facets").bounding_box()
    assert first_result["y"] < filters["y"], "the first ruling is below the filters"
    shot(phone, "site-rulings-phone")
