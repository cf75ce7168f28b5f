"""The API as HTTP: one error format, conditional GET, rate limits and the headline figures."""

import datetime
import time

import pytest
from django.core.cache import cache
from django.test import Client

from dataset.api import stats as stats_module
from dataset.stats import headline_figures
from tests import factories as f


def assert_problem(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and "detail" in body
    return body


def test_errors_share_one_format(db, anonymous):
    assert_problem(anonymous.get("/api/v1/no-such-resource/"), 404)
    assert_problem(anonymous.get("/api/v1/cases/no-such-case/"), 404)
    assert_problem(anonymous.put("/api/v1/cases/", {}, format="json"), 401)
    assert_problem(anonymous.get("/api/v1/cases/", {"kind": "nope"}), 400)
    assert_problem(anonymous.get("/api/v1/cases/", {"format": "csv", "kind": "nope"}), 400)


def test_405_for_a_method_a_resource_does_not_have(viewer, db):
    assert_problem(viewer.put("/api/v1/stats/", {}, format="json"), 405)


def test_500_in_the_same_format_without_a_traceback(db, monkeypatch):
    def crash(self, request):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(stats_module.StatsView, "get", crash)
    response = Client(raise_request_exception=False).get("/api/v1/stats/")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert body["detail"]


def test_anonymous_clients_are_rate_limited(db, anonymous, viewer, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    for _ in range(3):
        assert anonymous.get("/api/v1/treaties/").status_code == 200
    response = anonymous.get("/api/v1/treaties/")
    body = assert_problem(response, 429)
    assert int(response["Retry-After"]) > 0 and body["retry_after"] > 0
    assert viewer.get("/api/v1/treaties/").status_code == 200  # staff are not limited
    cache.clear()


def test_conditional_get_answers_304_until_the_record_changes(db, anonymous):
    treaty = f.TreatyFactory()
    url = f"/api/v1/treaties/{treaty.slug}/"
    first = anonymous.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert anonymous.get("/api/v1/treaties/", HTTP_IF_NONE_MATCH=anonymous.get("/api/v1/treaties/")["ETag"]).status_code == 304

    time.sleep(1.01)  # Last-Modified counts whole seconds
    treaty.title = "Renamed"
    treaty.save()
    again = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_a_change_to_a_nested_record_updates_last_modified(db, anonymous):
    case = f.CaseFactory()
    person = f.PersonFactory()
    f.CaseParticipantFactory(case=case, person=person)
    url = f"/api/v1/cases/{case.slug}/"
    first = anonymous.get(url)
    time.sleep(1.01)
    person.name = "Renamed person"
    person.save()
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_stats_are_the_report_commands_figures(db, anonymous):
    f.TreatyFactory(signed_on=datetime.date(2005, 1, 1), in_force_on=datetime.date(2008, 1, 1), in_force_on_precision="day")
    response = anonymous.get("/api/v1/stats/", {"on": "2022-02-01"})
    assert response.status_code == 200
    assert response.json() == headline_figures(datetime.date(2022, 2, 1))
    assert response.json()["treaties"]["in_force"] == 1
    assert anonymous.get("/api/v1/stats/", {"on": "2007-01-01"}).json()["treaties"]["signed_not_in_force"] == 1
    assert_problem(anonymous.get("/api/v1/stats/", {"on": "01/02/2022"}), 400)
    assert_problem(anonymous.get("/api/v1/stats/", {"when": "2022-02-01"}), 400)


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_docs_load_nothing_from_a_cdn(client, db, path):
    html = client.get(path).content.decode()
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    assert "/static/drf_spectacular_sidecar/" in html
