"""A second factor that cannot be skipped (issue 17).

Found: an administrator without an authenticator posted the password to /admin/login/, was
refused by the workspace, yet the session cookie it received read restricted persons and changed
cases through the API. Here staff log in through that real form with the password only — an
administrator without a device, one with a device who gives no code or a wrong one, a researcher
with a device who gives no code — and with whatever cookie they get try the API, the public site
and the workspace: all of them answer as to the public (extraditions.visibility.is_staff_session).
With the code, the same requests do what staff may.
"""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case
from extraditions.models import RestrictedRecordView
from extraditions.roles import ADMINISTRATOR, RESEARCHER
from tests import factories as f
from tests.api.conftest import DRAFT, RESTRICTED, build_hidden_world, build_world
from tests.api.test_redaction import public_responses

MARKER = "Zqxv"  # build_hidden_world's marker in every hidden text; in no word the factories use
LOGIN, INDEX = reverse("admin:login"), reverse("admin:index")
PASSWORD = "correct horse battery staple"
RECORDS = {"case": "cases", "person": "persons", "ruling": "rulings", "notice": "notices", "source": "sources",
           "treaty": "treaties"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_retry_delay(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not under test here


@pytest.fixture
def worlds(db):
    """A public world, and a restricted and a draft one, every text of which holds the marker."""
    return {
        "public": build_world("public"),
        "restricted": build_world(f"{MARKER} restricted", **RESTRICTED),
        "draft": build_world(f"{MARKER} draft", **DRAFT),
    }


def account(username: str, *groups: str, superuser: bool = False, device: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    if device:
        TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def code_of(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_of(user: User) -> str:
    return "000000" if code_of(user) != "000000" else "111111"


def log_in(client, user: User, code: str | None = None):
    """Post the workspace's real log-in form, as a browser does."""
    data = {"username": user.username, "password": PASSWORD, "next": INDEX}
    if code is not None:
        data["otp_token"] = code
    return client.post(LOGIN, data)


def api_url(kind: str, record) -> str:
    return f"/api/v1/{RECORDS[kind]}/{getattr(record, 'slug', None) or record.uid}/"


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# Logging in with the password only. Each: the account, the code given (None: none), and whether
# the form lets the session in at all (it does when no device asks for a code).
WITHOUT_THE_CODE = {
    "administrator without a device": (lambda: account("ada", ADMINISTRATOR), None, True),
    "superuser without a device": (lambda: account("root", superuser=True), None, True),
    "administrator with a device, no code": (lambda: account("adam", ADMINISTRATOR, device=True), None, False),
    "administrator with a device, a wrong code": (lambda: account("adele", ADMINISTRATOR, device=True), wrong_code_of, False),
    "researcher with a device, no code": (lambda: account("rita", RESEARCHER, device=True), None, False),
}


@pytest.fixture(params=list(WITHOUT_THE_CODE), ids=lambda name: name.replace(" ", "-").replace(",", ""))
def password_only(request, client, worlds):
    make, code, logged_in = WITHOUT_THE_CODE[request.param]
    user = make()
    response = log_in(client, user, code(user) if code else None)
    if logged_in:
        assert response.status_code == 302  # the form accepted the password: the session is the user's
        assert client.session["_auth_user_id"] == str(user.pk)
    else:
        assert response.status_code == 200  # the form asked for the code again: no one is logged in
        assert "_auth_user_id" not in client.session
    return client


def test_the_workspace_refuses_a_session_without_the_code(password_only, worlds):
    case = worlds["restricted"]["case"]
    for url in (INDEX, reverse("admin:cases_case_changelist"), reverse("admin:cases_case_change", args=[case.pk]),
                reverse("admin:auth_user_changelist")):
        response = password_only.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url


def test_the_api_reads_as_the_public_for_a_session_without_the_code(password_only, worlds):
    for world in ("restricted", "draft"):
        for kind in RECORDS:
            assert password_only.get(api_url(kind, worlds[world][kind])).status_code == 404, (world, kind)
    for prefix in RECORDS.values():
        listed = password_only.get(f"/api/v1/{prefix}/", {"page_size": 1000})
        assert listed.status_code == 200 and MARKER.encode() not in listed.content, prefix
        assert MARKER.encode() not in body_of(password_only.get(f"/api/v1/{prefix}/", {"format": "csv"})), prefix
        assert password_only.get(f"/api/v1/{prefix}/", {"q": MARKER}).json()["count"] == 0, prefix
    assert not any(password_only.get("/api/v1/search/", {"q": MARKER}).json()["results"].values())
    assert not RestrictedRecordView.objects.exists()  # nothing restricted was shown


def test_the_api_refuses_writes_from_a_session_without_the_code(password_only, worlds):
    case = worlds["public"]["case"]
    patched = password_only.patch(api_url("case", case), json.dumps({"title": "Changed"}), content_type="application/json")
    created = password_only.post(
        "/api/v1/cases/", json.dumps({"slug": "se-new-2024", "title": "New", "kind": "formal_extradition"}),
        content_type="application/json",
    )
    deleted = password_only.delete(api_url("case", case))
    restricted = password_only.patch(
        api_url("case", worlds["restricted"]["case"]), json.dumps({"visibility": "public"}), content_type="application/json"
    )
    for response in (patched, created, deleted, restricted):
        assert response.status_code in (401, 403), (response.request["REQUEST_METHOD"], response.status_code)
    case.refresh_from_db()
    assert case.title == "Case public" and not Case.objects.filter(slug="se-new-2024").exists()
    assert Case.objects.get(pk=worlds["restricted"]["case"].pk).visibility == "restricted"


def test_a_session_without_the_code_is_rate_limited_as_the_public(password_only, settings, client):
    settings.API_ANONYMOUS_RATE = "3/minute"
    for _ in range(3):
        assert password_only.get("/api/v1/treaties/").status_code == 200
    assert password_only.get("/api/v1/treaties/").status_code == 429


def test_staff_with_the_code_are_not_rate_limited(client, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    user = account("ada", ADMINISTRATOR, device=True)
    log_in(client, user, code_of(user))
    for _ in range(5):
        assert client.get("/api/v1/treaties/").status_code == 200


def test_the_site_shows_a_session_without_the_code_what_it_shows_the_public(password_only, worlds):
    for world in ("restricted", "draft"):
        for kind in RECORDS:
            url = worlds[world][kind].get_absolute_url()
            assert password_only.get(url).status_code == 404, (world, kind, url)
    for url in ("/", "/cases/", "/persons/", "/rulings/", "/notices/", "/sources/", "/countries/SE/",
                worlds["public"]["case"].get_absolute_url(), worlds["public"]["source"].get_absolute_url()):
        response = password_only.get(url)
        assert response.status_code == 200 and MARKER.encode() not in response.content, url


def test_every_api_answer_to_an_administrator_without_a_device_is_the_publics(client):
    """The case of the report, over every answer the API gives the public (tests/api/test_redaction.py
    checks those hold no hidden record): the session gets the very same bytes as an anonymous client."""
    build_hidden_world(MARKER)
    log_in(client, account("ada", ADMINISTRATOR))
    checked = 0
    for (url, body), (public_url, public_body) in zip(public_responses(client), public_responses(Client()), strict=True):
        assert (url, body) == (public_url, public_body), url
        checked += 1
    assert checked > 100


def test_a_pseudonyms_original_name_stays_hidden_from_a_session_without_the_code(client):
    world = build_hidden_world(MARKER)
    pseudonymous = next(p for p in world["public"]["case"].persons.all() if p.is_pseudonym)
    log_in(client, account("ada", ADMINISTRATOR))
    response = client.get(pseudonymous.get_absolute_url())
    assert response.status_code == 200 and MARKER.encode() not in response.content


# --- the positive controls: with the code (or, for staff without a device, the password) -----------

WITH_THE_CODE = {
    "administrator with a device": lambda: account("ada", ADMINISTRATOR, device=True),
    "superuser with a device": lambda: account("root", superuser=True, device=True),
    "researcher with a device": lambda: account("rita", RESEARCHER, device=True),
    "researcher without a device (the password is the whole log-in)": lambda: account("rob", RESEARCHER),
}


@pytest.fixture(params=list(WITH_THE_CODE), ids=lambda name: name.split(" (")[0].replace(" ", "-"))
def staff_session(request, client, worlds):
    user = WITH_THE_CODE[request.param]()
    code = code_of(user) if TOTPDevice.objects.filter(user=user).exists() else None
    assert log_in(client, user, code).status_code == 302
    client.user = user
    return client


def test_with_the_code_the_workspace_opens(staff_session, worlds):
    assert staff_session.get(INDEX).status_code == 200
    change = reverse("admin:cases_case_change", args=[worlds["restricted"]["case"].pk])
    assert staff_session.get(change).status_code == 200


def test_with_the_code_the_api_reads_and_writes_as_staff(staff_session, worlds):
    restricted = worlds["restricted"]
    for world in ("restricted", "draft"):
        for kind in RECORDS:
            assert staff_session.get(api_url(kind, worlds[world][kind])).status_code == 200, (world, kind)
    listed = staff_session.get("/api/v1/cases/", {"page_size": 1000}).json()["results"]
    assert {restricted["case"].slug, worlds["draft"]["case"].slug} <= {case["id"] for case in listed}
    assert RestrictedRecordView.objects.filter(user=staff_session.user, channel="api").exists()  # and it is logged

    case = worlds["draft"]["case"]  # a draft: a researcher's change to a public record waits for an editor
    patched = staff_session.patch(api_url("case", case), json.dumps({"title": "Changed"}), content_type="application/json")
    assert patched.status_code == 200, patched.content
    created = staff_session.post(
        "/api/v1/cases/", json.dumps({"slug": "se-new-2024", "title": "New", "kind": "formal_extradition"}),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case.refresh_from_db()
    assert case.title == "Changed" and case.history.first().history_user == staff_session.user


def test_with_the_code_an_administrator_deletes_through_the_api(client, worlds):
    user = account("ada", ADMINISTRATOR, device=True)
    log_in(client, user, code_of(user))
    draft = f.CaseFactory(**DRAFT)  # nothing refers to it
    assert client.delete(api_url("case", draft)).status_code == 204
    assert not Case.objects.filter(pk=draft.pk).exists()


def test_with_the_code_the_site_shows_staff_what_they_may_see(staff_session, worlds):
    for world in ("restricted", "draft"):
        for kind in ("case", "person", "ruling", "source", "treaty"):
            url = worlds[world][kind].get_absolute_url()
            assert staff_session.get(url).status_code == 200, (world, kind, url)


def test_an_administrator_without_a_device_gets_in_once_one_is_set_up(client, worlds):
    """The refusal is for the missing factor, not the account: the same administrator, with a device
    and its code, reads the restricted record the password-only session could not."""
    user = account("ada", ADMINISTRATOR)
    log_in(client, user)
    url = api_url("person", worlds["restricted"]["person"])
    assert client.get(url).status_code == 404
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.logout()
    assert log_in(client, user, code_of(user)).status_code == 302
    assert client.get(url).status_code == 200
    assert client.get(INDEX).status_code == 200
