"""``/sitemap.xml``: every public page, for search engines and archivists (the Wayback Machine).

One section per kind of record, each listing only what ``public()`` returns: the same rule as
every other public answer, and covered by the same leak crawl (tests/test_leak_crawl.py).
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import Case, CourtRuling, InterpolNotice, Person
from extraditions.identifiers import stable_id_field
from sources.models import Source
from treaties.models import Treaty


class RecordSitemap(Sitemap):
    limit = 10_000  # URLs per sitemap page; the index lists the pages

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.public().order_by("pk").only("pk", "updated_at", stable_id_field(self.model))

    def lastmod(self, record):
        return record.updated_at


class PagesSitemap(Sitemap):
    def items(self):
        return ["site:home", "site:case-list", "site:person-list", "site:ruling-list", "site:notice-list",
                "site:source-list", "site:country-list", "site:treaty-map", "site:figures", "site:about", "site:downloads"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PagesSitemap(),
    "cases": RecordSitemap(Case),
    "persons": RecordSitemap(Person),
    "rulings": RecordSitemap(CourtRuling),
    "notices": RecordSitemap(InterpolNotice),
    "treaties": RecordSitemap(Treaty),
    "sources": RecordSitemap(Source),
}
