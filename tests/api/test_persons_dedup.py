"""Before a person is created the API warns of likely duplicates; an editor merges two records of one person."""

import pytest
from django.contrib.contenttypes.models import ContentType

from cases import models as cases
from extraditions.models import Visibility
from sources.models import Citation
from tests import factories as f

from .conftest import client_for, staff_user


@pytest.fixture
def qiao(db):
    return f.PersonFactory(slug="qiao-jianjun", name="Qiao Jianjun", name_original="乔建军")


def test_creating_a_likely_duplicate_is_a_409_with_reasons_until_confirmed(qiao, researcher):
    payload = {"slug": "qiao-jian-jun", "name": "Qiao Jian-Jun", "name_original": "喬建軍"}
    response = researcher.post("/api/v1/persons/", payload, format="json")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    [duplicate] = response.json()["likely_duplicates"]
    assert duplicate["id"] == "qiao-jianjun"
    assert duplicate["reasons"] == ["Qiao Jian-Jun: same name as “Qiao Jianjun”", "喬建軍: same name as “乔建军”"]
    assert not cases.Person.objects.filter(slug="qiao-jian-jun").exists()

    confirmed = researcher.post("/api/v1/persons/", {**payload, "confirm_not_duplicate": True}, format="json")
    assert confirmed.status_code == 201
    assert "confirm_not_duplicate" not in confirmed.json()


def test_a_new_name_is_created_without_a_warning(qiao, researcher):
    assert researcher.post("/api/v1/persons/", {"slug": "dolkun-isa", "name": "Dolkun Isa"}, format="json").status_code == 201


@pytest.fixture
def merger(db):
    return client_for(staff_user("merger", "cases.merge_person", "cases.change_person", "cases.view_person"))


def test_merging_moves_everything_to_the_survivor_and_keeps_history(qiao, merger):
    duplicate = f.PersonFactory(slug="qiao-jian-jun", name="Qiao Jian-Jun", citizenships=["CN"], visibility=Visibility.RESTRICTED)
    f.AliasFactory(person=duplicate, name="Chiao Chien-chun")
    participation = f.CaseParticipantFactory(person=duplicate)
    notice = f.InterpolNoticeFactory(subject=duplicate)
    detention = f.DetentionFactory(person=duplicate, case=participation.case)
    source = f.SourceFactory()
    f.CitationFactory(source=source, record=duplicate, locator="p. 3")

    response = merger.post(f"/api/v1/persons/{qiao.slug}/merge/", {"duplicate": duplicate.slug}, format="json")
    assert response.status_code == 200, response.json()
    assert not cases.Person.objects.filter(pk=duplicate.pk).exists()
    qiao.refresh_from_db()
    assert set(qiao.aliases.values_list("name", flat=True)) == {"Chiao Chien-chun", "Qiao Jian-Jun"}
    assert list(qiao.cases.all()) == [participation.case]
    notice.refresh_from_db()
    detention.refresh_from_db()
    assert notice.subject == qiao and detention.person == qiao
    assert Citation.objects.filter(content_type=ContentType.objects.get_for_model(cases.Person), object_id=qiao.pk).count() == 1
    assert qiao.visibility == Visibility.RESTRICTED  # the stricter of the two
    assert [str(c) for c in qiao.citizenships] == ["CN"]
    assert "Merged Qiao Jian-Jun (qiao-jian-jun)" in qiao.history.first().history_change_reason
    assert cases.Person.history.filter(id=duplicate.pk, history_type="-").get().history_change_reason.startswith("Merged into")
    # The merged names find the survivor.
    assert merger.get("/api/v1/persons/", {"q": "Chiao Chien-chun"}).json()["results"][0]["id"] == qiao.slug


def test_merging_takes_the_permission_and_refuses_a_pseudonym(qiao, merger, researcher):
    other = f.PersonFactory(name="Witness B", is_pseudonym=True)
    assert researcher.post(f"/api/v1/persons/{qiao.slug}/merge/", {"duplicate": other.slug}, format="json").status_code == 403
    refused = merger.post(f"/api/v1/persons/{qiao.slug}/merge/", {"duplicate": other.slug}, format="json")
    assert refused.status_code == 400
    assert "pseudonymous" in str(refused.json()["errors"]["duplicate"])
    assert merger.post(f"/api/v1/persons/{qiao.slug}/merge/", {"duplicate": qiao.slug}, format="json").status_code == 400
    assert cases.Person.objects.filter(pk=other.pk).exists()
