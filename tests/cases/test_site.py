"""The public website's pages: content, redaction and query counts, as for the API."""

import pytest
from django.core.cache import cache

from cases.models import AliasKind
from extraditions.models import PublicationStatus, Visibility
from tests import factories as f
from tests.api.conftest import build_world
from tests.pages import page, queries_for

MARKER = "Zqxv"


def test_the_home_page_gives_the_computed_figures_and_latest_cases(client, world):
    html = page(client, "/")
    assert "extradition treaties of the PRC in force" in html
    assert world["case"].title in html
    assert '<title>Sweden: Signed, awaiting ratification</title>' in html  # today's treaty map, with its table
    assert "/rulings/?decision=extradition_refused" in html and "/figures/#metric-treaties_in_force" in html


def test_the_case_list_filters_searches_and_offers_facets(client, world):
    other = f.CaseFactory(title="Case in Thailand", host_country="TH", kind="abduction", summary="Taken from Bangkok.")
    html = page(client, "/cases/")
    assert world["case"].title in html and other.title in html
    assert "?host_country=TH" in html  # a facet link
    filtered = page(client, "/cases/?host_country=TH")
    assert other.title in filtered and world["case"].title not in filtered
    found = page(client, "/cases/?q=bangkok")
    assert other.title in found and "<mark>Bangkok</mark>" in found
    assert "were not understood" in page(client, "/cases/?host_country=XX", 400)


def test_a_refused_filter_value_is_named_with_what_is_allowed(client, world):
    html = page(client, "/cases/?outcome=bogus&host_country=XX", 400)
    assert "<code>outcome</code>: Select a valid choice. bogus is not one of the available choices. Allowed: one or more of " in html
    assert "extradited, " in html and ", none." in html  # the codes, and "none" for an unknown outcome
    assert "<code>host_country</code>" in html and "Allowed: a country&#x27;s ISO 3166-1 alpha-2 code, such as TH or SE." in html
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD.</li>" in page(client, "/cases/?started_after=yesterday", 400)


def test_a_case_page_shows_its_timeline_sources_and_citation(client, world):
    html = page(client, f"/cases/{world['case'].slug}/")
    assert "Timeline" in html and "Arrested public" in html and "Prison public" in html
    assert world["source"].title in html
    assert "Cite this record" in html and f"record {world['case'].slug}" in html


def test_restricted_and_draft_records_do_not_exist_on_the_site(client, world):
    hidden_case = f.CaseFactory(title=f"{MARKER} case", visibility=Visibility.RESTRICTED)
    draft_case = f.CaseFactory(title=f"{MARKER} draft", publication_status=PublicationStatus.DRAFT)
    secret = f.PersonFactory(name=f"{MARKER} person", visibility=Visibility.RESTRICTED)
    f.CaseParticipantFactory(case=world["case"], person=secret)
    pseudonymous = f.PersonFactory(name="Witness C", is_pseudonym=True, name_original=f"{MARKER}真名")
    f.AliasFactory(person=pseudonymous, name=f"{MARKER} real", kind=AliasKind.LEGAL_NAME)
    f.CaseParticipantFactory(case=world["case"], person=pseudonymous)

    for url in ("/", "/cases/", f"/cases/?q={MARKER}", f"/cases/{world['case'].slug}/", f"/persons/{pseudonymous.slug}/"):
        # The search box, the page's citable URL, its feed and alert form show what was typed.
        html = page(client, url).replace(f'value="{MARKER}"', "").replace(f"q={MARKER}", "")
        assert MARKER not in html, url
    for url in (f"/cases/{hidden_case.slug}/", f"/cases/{draft_case.slug}/", f"/persons/{secret.slug}/"):
        page(client, url, status=404)
    assert "Witness C" in page(client, f"/cases/{world['case'].slug}/")


def test_the_rulings_search_has_full_text_and_facets_for_lawyers(client, world):
    import datetime

    cat3 = f.LegalProvisionFactory(slug="cat-3", instrument="cat", article="3", title="Non-refoulement")
    permitted = f.CourtRulingFactory(
        court="Constitutional Court", decision="extradition_permitted", decided_on=datetime.date(2018, 1, 5),
        decided_on_precision="day", summary="Assurances accepted as reliable.",
    )
    permitted.grounds.add(cat3)
    html = page(client, "/rulings/")
    assert world["ruling"].court in html and "Constitutional Court" in html
    for facet_link in ("?decision=extradition_refused", "?ground=echr-3", "?decided_year=2018", "?country=SE"):
        assert facet_link in html, facet_link
    assert "Constitutional Court" not in page(client, "/rulings/?ground=echr-3")
    assert "Constitutional Court" in page(client, "/rulings/?decided_year=2018")
    found = page(client, "/rulings/?q=reliable")
    assert "Constitutional Court" in found and "<mark>reliable</mark>" in found


def test_the_notices_page_shows_cancellations_and_filters_by_status(client, world):
    import datetime

    cancelled = f.InterpolNoticeFactory(
        subject=f.PersonFactory(name="Dolkun Isa"), status="cancelled", cancelled_on=datetime.date(2018, 2, 1),
        cancelled_on_precision="month", cancellation_reason="constitution_art_2_3",
    )
    html = page(client, "/notices/")
    assert "Dolkun Isa" in html and world["person"].name in html and "?status=cancelled" in html
    only_cancelled = page(client, "/notices/?status=cancelled")
    assert "Dolkun Isa" in only_cancelled and world["person"].name not in only_cancelled
    assert "February 2018" in only_cancelled
    assert "Dolkun Isa" in page(client, "/notices/?q=dolkun")
    assert cancelled.subject.slug in html


def test_the_persons_list_finds_names_in_any_form(client, world):
    qiao = f.PersonFactory(name="Qiao Jianjun", name_original="乔建军")
    assert world["person"].name in client.get("/persons/").content.decode()
    for query in ("乔建军", "Qiao Jiangjun", "qiaojianjun"):
        html = client.get("/persons/", {"q": query}).content.decode()
        assert f"/persons/{qiao.slug}/" in html and world["person"].name not in html, query


def test_the_about_and_downloads_pages(client, db):
    assert "Who is not shown" in page(client, "/about/")
    downloads = page(client, "/data/")
    for resource in ("cases", "persons", "rulings", "notices", "treaties", "sources"):
        assert f"/api/v1/{resource}/?format=csv" in downloads


@pytest.mark.parametrize(
    "url", ["/", "/cases/", "/cases/?q=public", "/rulings/", "/rulings/?q=refused", "/notices/", "case", "person"]
)
def test_pages_cost_the_same_queries_however_many_records(client, db, url):
    first = build_world("one")
    url = {"case": first["case"].get_absolute_url(), "person": first["person"].get_absolute_url()}.get(url, url)
    page(client, url)  # warm the per-process caches
    cache.clear()  # the figures on the home page are cached until a record changes: count their cost
    before = queries_for(client, url)
    for n in range(3):
        world = build_world(f"more{n}")
        f.CaseParticipantFactory(case=first["case"], person=world["person"])  # a longer case page too
        f.CaseEventFactory(case=first["case"])
    cache.clear()
    assert queries_for(client, url) == before


def test_searching_and_paging_keep_the_lists_filters(client, db):
    for n in range(30):
        f.CaseFactory(title=f"Thai case {n}", host_country="TH", summary="Taken from Bangkok.")
    f.CaseFactory(title="Swedish case", host_country="SE", summary="Taken from Bangkok.")
    html = page(client, "/cases/?host_country=TH&q=bangkok")
    assert '<input type="hidden" name="host_country" value="TH">' in html
    assert 'placeholder="torture &quot;consular access&quot; -death"' in html
    assert "?host_country=TH&amp;q=bangkok&amp;page=2" in html
    second = page(client, "/cases/?host_country=TH&q=bangkok&page=2")
    assert "Swedish case" not in second and "Page 2 of 2" in second


def test_a_ruling_page_gives_what_a_lawyer_cites(client, world):
    ruling = world["ruling"]
    ruling.docket_number = "UM 1234-19"
    ruling.save()
    html = page(client, f"/rulings/{ruling.slug}/")
    assert ruling.court in html and "UM 1234-19" in html and "4 May 2020" in html
    assert f"/rulings/?ground={world['provision'].slug}" in html  # its grounds lead to the other rulings on them
    assert "Full text public" in html and world["case"].get_absolute_url() in html
    assert world["source"].get_absolute_url() in html
    assert f"record {ruling.slug}" in html and f"/api/v1/rulings/{ruling.slug}/" in html
    assert f"/rulings/{ruling.slug}/" in page(client, "/rulings/")  # the list links to it


def test_a_notice_page_gives_its_subject_status_and_cases(client, world):
    notice = world["notice"]
    html = page(client, f"/notices/{notice.uid}/")
    assert world["person"].get_absolute_url() in html and world["case"].get_absolute_url() in html
    assert "Notice public" in html and notice.get_status_display() in html
    assert f"record {notice.uid}" in html
    assert f"/notices/{notice.uid}/" in page(client, "/notices/")
    assert f"/notices/{notice.uid}/" in page(client, f"/persons/{world['person'].slug}/")
    page(client, "/notices/00000000-0000-0000-0000-000000000000/", status=404)


def test_a_case_page_links_its_ruling_notice_and_treaty(client, world):
    html = page(client, f"/cases/{world['case'].slug}/")
    for record in ("ruling", "notice", "treaty", "source"):
        assert world[record].get_absolute_url() in html, record


def test_names_carry_their_script_language_and_direction(client, world):
    uyghur = "ئىدرىس ھەسەن"
    person = f.PersonFactory(name="Idris Hasan", name_original="伊德里斯·哈桑", original_script="han_simplified")
    f.AliasFactory(person=person, name=uyghur, script="uyghur_arabic", kind=AliasKind.ALSO_KNOWN_AS)
    f.AliasFactory(person=person, name="伊德里斯", script="", kind=AliasKind.SPELLING_VARIANT)
    html = page(client, f"/persons/{person.slug}/")
    assert '<bdi lang="zh-Hans" dir="ltr">伊德里斯·哈桑</bdi>' in html
    assert f'<bdi lang="ug-Arab" dir="rtl">{uyghur}</bdi>' in html
    assert '<bdi lang="zh-Hans" dir="ltr">伊德里斯</bdi>' in html  # an unclassified name: its script is detected
    assert '<bdi lang="zh-Hans" dir="ltr">伊德里斯·哈桑</bdi>' in page(client, "/persons/")


def test_every_citable_record_has_a_page_on_the_site(client, world):
    """Each record a source backs links to a public page: its own, or its case's, treaty's or the figures'."""
    for name, record in world.items():
        if hasattr(record, "citations"):
            url = record.get_absolute_url()
            assert client.get(url).status_code == 200, (name, url)


def test_lists_filter_by_a_date_range_and_keep_their_other_filters(client, db):
    import datetime

    old = f.CaseFactory(title="Old case", host_country="TH", started_on=datetime.date(2012, 3, 1), started_on_precision="month")
    new = f.CaseFactory(title="New case", host_country="TH", started_on=datetime.date(2021, 7, 19), started_on_precision="day")
    html = page(client, "/cases/?host_country=TH&started_after=2020")
    assert new.title in html and old.title not in html
    assert 'name="started_after" value="2020"' in html and '<input type="hidden" name="host_country" value="TH">' in html
    assert old.title in page(client, "/cases/?started_before=2012-03") and new.title not in page(client, "/cases/?started_before=2012-03")
    assert "were not understood" in page(client, "/cases/?started_after=last+year", 400)


def test_a_lists_results_can_be_downloaded_with_the_same_filters(client, world):
    other = f.CaseFactory(title="Case in Thailand", host_country="TH")
    html = page(client, "/cases/?host_country=TH&page=1")
    assert 'href="/api/v1/cases/?host_country=TH&amp;format=csv"' in html
    assert 'href="/api/v1/cases/?host_country=TH"' in html
    response = client.get("/api/v1/cases/", {"host_country": "TH", "format": "csv"})
    rows = b"".join(response.streaming_content).decode()
    assert other.title in rows and world["case"].title not in rows
