"""The staff workspace's person pages: name search, duplicate warnings and merging."""

from django.contrib.admin import helpers
from django.urls import reverse

from cases.models import Person
from tests import factories as f

ADD_URL = reverse("admin:cases_person_add")
LIST_URL = reverse("admin:cases_person_changelist")


def add_form(**values):
    data = {
        "name": "", "slug": "", "name_original": "", "original_script": "", "citizenships": [],
        "occupation": "", "asylum_status": "", "asylum_country": "", "current_situation": "unknown",
        "biography": "", "publication_status": "draft", "visibility": "public",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "sources-citation-content_type-object_id-TOTAL_FORMS": "0",
        "sources-citation-content_type-object_id-INITIAL_FORMS": "0",
    }
    return {**data, **values}


def test_the_admin_warns_of_a_likely_duplicate_until_confirmed(admin_client, db):
    existing = f.PersonFactory(name="Qiao Jianjun", name_original="乔建军")
    response = admin_client.post(ADD_URL, add_form(name="Qiao Jian-Jun", slug="qiao-2", name_original="喬建軍"))
    assert response.status_code == 200  # the form again, with the warning
    page = response.content.decode()
    assert "may already be recorded" in page
    assert reverse("admin:cases_person_change", args=[existing.pk]) in page
    assert "same name as “乔建军”" in page
    assert not Person.objects.filter(slug="qiao-2").exists()

    confirmed = admin_client.post(
        ADD_URL, add_form(name="Qiao Jian-Jun", slug="qiao-2", name_original="喬建軍", confirm_not_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert Person.objects.filter(slug="qiao-2").exists()


def test_the_admin_search_finds_pinyin_and_misspellings(admin_client, db):
    person = f.PersonFactory(name="Li Zhihui", name_original="李志惠")
    f.PersonFactory(name="Somebody Else")
    for term in ("李志惠", "Lǐ Zhìhuì", "Li Zhihiu"):
        page = admin_client.get(LIST_URL, {"q": term}).content.decode()
        assert reverse("admin:cases_person_change", args=[person.pk]) in page, term
        assert "Somebody Else" not in page, term


def test_the_merge_action_asks_which_record_to_keep_then_merges(admin_client, db):
    keep = f.PersonFactory(name="Qiao Jianjun")
    other = f.PersonFactory(name="Qiao Jian-Jun")
    f.AliasFactory(person=other, name="Chiao Chien-chun")
    selected = {"action": "merge", helpers.ACTION_CHECKBOX_NAME: [keep.pk, other.pk]}

    confirm = admin_client.post(LIST_URL, selected)
    assert confirm.status_code == 200
    assert "Keep which record?" in confirm.content.decode()

    done = admin_client.post(LIST_URL, {**selected, "survivor": keep.pk}, follow=True)
    assert "Merged Qiao Jian-Jun into Qiao Jianjun" in done.content.decode()
    assert not Person.objects.filter(pk=other.pk).exists()
    assert set(keep.aliases.values_list("name", flat=True)) == {"Chiao Chien-chun", "Qiao Jian-Jun"}
