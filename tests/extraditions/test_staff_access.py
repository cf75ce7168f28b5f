"""Staff accounts: roles, brute-force lock-out, second factors and session expiry."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from extraditions.roles import ADMINISTRATOR, EDITOR, RESEARCHER, VIEWER

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PASSWORD = "correct horse battery staple"


def staff(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, is_superuser=superuser)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": INDEX, **extra})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.mark.django_db
def test_the_roles_exist_after_migrate_with_their_permissions():
    perms = {group.name: set(group.permissions.values_list("codename", flat=True)) for group in Group.objects.all()}
    assert {"view_case", "view_person"} <= perms[VIEWER] and not any(p.startswith("change_") for p in perms[VIEWER])
    assert {"add_case", "change_case"} <= perms[RESEARCHER]
    assert not {"publish_case", "delete_case", "merge_person"} & perms[RESEARCHER]
    assert {"publish_case", "publish_person", "merge_person", "delete_case"} <= perms[EDITOR]
    assert {"add_user", "change_user"} <= perms[ADMINISTRATOR] and "add_user" not in perms[EDITOR]
    assert not any("personname" in p for p in perms[ADMINISTRATOR])  # derived data is never edited


@pytest.mark.django_db
def test_a_researcher_without_an_authenticator_logs_in_with_a_password(client):
    staff("rita", RESEARCHER)
    assert log_in(client, "rita").status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_staff_with_an_authenticator_need_its_code(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not under test here
    user = staff("ed", EDITOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    without = log_in(client, "ed")
    assert without.status_code == 200 and "Please enter your OTP token" in without.content.decode()
    assert log_in(client, "ed", otp_token="000000" if current_code(device) != "000000" else "111111").status_code == 200
    assert log_in(client, "ed", otp_token=current_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_an_administrator_must_use_a_second_factor(client):
    admin_user = staff("ada", ADMINISTRATOR)
    log_in(client, "ada")
    assert client.get(INDEX).status_code == 302  # a password alone does not open the workspace
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.logout()
    assert log_in(client, "ada", otp_token=current_code(device)).status_code == 302
    assert client.get(INDEX).status_code == 200


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_out_even_with_the_right_password(client):
    staff("mallory-target", RESEARCHER)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "mallory-target", password="guess").status_code == 200
    assert log_in(client, "mallory-target", password="guess").status_code == 429  # the limit: locked out
    assert log_in(client, "mallory-target").status_code == 429  # the right password no longer helps
    assert client.get(INDEX).status_code == 302


def test_sessions_expire_when_idle_and_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_REFRESH_SECONDS <= 60


@pytest.mark.django_db
def test_a_session_moves_its_expiry_at_most_once_a_minute_and_ends_when_idle(client):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff("rita", RESEARCHER)
    log_in(client, "rita")
    client.get(INDEX)
    key = client.session.session_key

    def writes_session():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return any(q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"] for q in queries)

    assert not writes_session()  # a request a moment later writes nothing
    expiry = Session.objects.get(session_key=key).expire_date
    session = client.session
    session["_refreshed_at"] -= settings.SESSION_REFRESH_SECONDS  # as if the last move were a minute ago
    session.save()
    assert writes_session()
    assert Session.objects.get(session_key=key).expire_date > expiry  # idle time counted from now

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(INDEX).status_code == 302  # idle too long: back to the login page
