"""API tokens (extraditions/tokens.py): kept as keyed hashes only, named, expiring, revocable;
issued and revoked by administrators only; a token counts as staff past the second factor."""

import datetime
import importlib
import json
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from extraditions.models import RestrictedRecordView
from extraditions.roles import ADMINISTRATOR, EDITOR, RESEARCHER, VIEWER
from extraditions.tokens import MAX_DAYS, ApiToken, issue_token, revoke_tokens, token_digest
from tests import factories as f
from tests.api.conftest import RESTRICTED
from tests.conftest import verify_second_factor
from tests.dataset.test_backups import empty_the_database, export

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:extraditions_apitoken_changelist")
ADD = reverse("admin:extraditions_apitoken_add")


def staff(username: str, *groups: str, **fields) -> User:
    user = User.objects.create_user(username, password="a long password 123", is_staff=True, **fields)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def secret_person(db):
    return f.PersonFactory(name="Secret Person", **RESTRICTED)


def read(secret_person, authorization: str | None):
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get(f"/api/v1/persons/{secret_person.slug}/")


def database_text() -> str:
    """Every row of every table, as text: where a secret would show if it were stored."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(map(repr, cursor.fetchall()))
    return "\n".join(rows)


# --- using a token ------------------------------------------------------------------------------


def test_a_token_reads_what_its_holder_may_and_accepts_both_schemes(secret_person):
    token, secret = issue_token(staff("vera"), "lawyer's scripts")
    assert secret.startswith(token.prefix) and len(secret) > 40
    for scheme in ("Bearer", "Token", "bearer"):
        response = read(secret_person, f"{scheme} {secret}")
        assert response.status_code == 200 and response.json()["name"] == "Secret Person", scheme


def test_an_administrators_token_counts_as_past_the_second_factor(secret_person):
    """Issued by an administrator who passed their own: an administrator without a device (whose
    password-only session is the public's) reads and writes with a token."""
    ada = staff("ada", ADMINISTRATOR)
    secret = issue_token(ada, "imports")[1]
    assert read(secret_person, f"Bearer {secret}").status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.patch(f"/api/v1/persons/{secret_person.slug}/", {"biography": "Changed."}, format="json").status_code == 200


@pytest.mark.parametrize("authorization", [
    "Bearer xtr_not-a-token-anyone-was-given", "Bearer", "Bearer two parts", "Token ", "Bearer " + "x" * 300,
])
def test_a_wrong_token_is_a_401_not_the_publics_view(secret_person, authorization):
    f.PersonFactory(name="Public Person")
    response = read(secret_person, authorization)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert APIClient(HTTP_AUTHORIZATION=authorization).get("/api/v1/persons/").status_code == 401


def test_no_credentials_is_the_public_and_a_write_is_told_how_to_authenticate(secret_person):
    assert read(secret_person, None).status_code == 404
    response = APIClient().post("/api/v1/persons/", {}, format="json")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(secret_person):
    token, secret = issue_token(staff("vera"), "scripts", days=1)
    assert read(secret_person, f"Bearer {secret}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2), expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert read(secret_person, f"Bearer {secret}").status_code == 401


def test_a_revoked_token_is_refused(secret_person):
    token, secret = issue_token(staff("vera"), "scripts")
    ada = staff("ada", ADMINISTRATOR)
    assert revoke_tokens(ApiToken.objects.filter(pk=token.pk), ada) == 1
    assert read(secret_person, f"Bearer {secret}").status_code == 401
    token.refresh_from_db()
    assert token.revoked_by == ada and token.revoked_at is not None


@pytest.mark.parametrize("change", [{"is_staff": False}, {"is_active": False}], ids=["no-longer-staff", "inactive"])
def test_the_token_of_an_account_no_longer_active_staff_is_refused(secret_person, change):
    user = staff("vera")
    secret = issue_token(user, "scripts")[1]
    User.objects.filter(pk=user.pk).update(**change)
    assert read(secret_person, f"Bearer {secret}").status_code == 401


def test_tokens_are_for_active_staff_and_last_at_most_a_year():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not an active member of staff"):
        issue_token(User.objects.create_user("journalist"), "reads")
    with pytest.raises(ValidationError, match="1 to 365 days"):
        issue_token(staff("vera"), "forever", days=MAX_DAYS + 1)
    with pytest.raises(ValidationError, match="what the token is for"):
        issue_token(staff("victor"), "  ")


def test_last_use_is_recorded_at_most_once_a_minute(secret_person):
    token, secret = issue_token(staff("vera"), "scripts")
    assert token.last_used_at is None
    read(secret_person, f"Bearer {secret}")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        read(secret_person, f"Bearer {secret}")
    assert not [q for q in captured.captured_queries if "UPDATE" in q["sql"] and "apitoken" in q["sql"].lower()]
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    read(secret_person, f"Bearer {secret}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_a_restricted_view_with_a_token_is_logged_with_the_token(secret_person, client):
    vera = staff("vera")
    token, secret = issue_token(vera, "lawyer's scripts")
    read(secret_person, f"Bearer {secret}")
    APIClient(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/persons/", {"page_size": 100})
    verify_second_factor(client, vera)
    client.get(f"/api/v1/persons/{secret_person.slug}/")  # the same person, with a session
    logged = list(RestrictedRecordView.objects.order_by("pk").values_list("user__username", "channel", "api_token"))
    assert logged == [("vera", "api", token.pk), ("vera", "api", token.pk), ("vera", "api", None)]


# --- kept as hashes only --------------------------------------------------------------------------


def test_the_secret_is_nowhere_in_the_database(secret_person):
    token, secret = issue_token(staff("vera"), "scripts")
    read(secret_person, f"Bearer {secret}")  # used, logged: still nowhere
    stored = database_text()
    assert token.digest in stored and token.prefix in stored
    assert secret not in stored and secret[len(token.prefix):] not in stored
    assert token.digest == token_digest(secret) != token_digest(secret, key="another key")


def test_a_token_survives_a_key_rotation_only_through_the_fallback_keys(secret_person, settings):
    token, secret = issue_token(staff("vera"), "scripts")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a new secret key, long enough for the tests of rotation"
    assert read(secret_person, f"Bearer {secret}").status_code == 401
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert read(secret_person, f"Bearer {secret}").status_code == 200
    token.refresh_from_db()
    assert token.digest == token_digest(secret)  # hashed again under the new key at its use
    settings.SECRET_KEY_FALLBACKS = []
    assert read(secret_person, f"Bearer {secret}").status_code == 200


def test_the_plain_tokens_of_before_become_hashed_ones_and_their_table_goes(secret_person):
    """Migration 0005 on a database that still has rest_framework.authtoken's table."""
    vera = staff("vera")
    key = "0123456789abcdef0123456789abcdef01234567"
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created {timestamp} NOT NULL, user_id integer NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [key, timezone.now() - datetime.timedelta(days=400), vera.pk])
    migration = importlib.import_module("extraditions.migrations.0005_api_tokens")
    from django.apps import apps

    migration.convert_plain_tokens(apps, SimpleNamespace(connection=connection))
    assert "authtoken_token" not in connection.introspection.table_names()
    converted = ApiToken.objects.get(user=vera)
    assert converted.prefix == key[:8] and converted.created_by is None
    assert converted.expires_at - timezone.now() > datetime.timedelta(days=89)
    assert read(secret_person, f"Token {key}").status_code == 200  # the integration keeps working
    assert key not in database_text()


# --- backups --------------------------------------------------------------------------------------


def test_a_bundle_holds_the_hashes_and_a_restored_token_still_works(secret_person, tmp_path):
    token, secret = issue_token(staff("vera"), "scripts")
    read(secret_person, f"Bearer {secret}")  # a logged view that refers to the token
    manifest = export(tmp_path / "bundle")
    bundle = "".join(path.read_text() for path in (tmp_path / "bundle").iterdir())
    assert token.digest in bundle and secret not in bundle and secret[len(token.prefix):] not in bundle
    assert {e["model"]: e["records"] for e in manifest["files"]}["extraditions.apitoken"] == 1

    empty_the_database()
    call_command("import_dataset", str(tmp_path / "bundle"), stdout=StringIO())
    assert RestrictedRecordView.objects.get().api_token.name == "scripts"
    assert read(secret_person, f"Bearer {secret}").status_code == 200  # the same slug, restored


# --- issued and revoked by administrators -----------------------------------------------------------


@pytest.fixture
def administrator(client):
    verify_second_factor(client, staff("ada", ADMINISTRATOR))
    return client


def test_an_administrator_issues_a_token_and_sees_its_secret_once(administrator, secret_person):
    vera = staff("vera", RESEARCHER)
    response = administrator.post(ADD, {"user": vera.pk, "name": "nightly import", "days": 30})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = next(word for word in response.content.decode().replace('"', " ").split() if word.startswith(token.prefix) and len(word) > 40)
    assert (token.user, token.created_by.username, token.name) == (vera, "ada", "nightly import")
    assert datetime.timedelta(days=29) < token.expires_at - timezone.now() <= datetime.timedelta(days=30)
    assert read(secret_person, f"Bearer {secret}").status_code == 200
    assert secret not in database_text()  # not in a message, a session or the admin's log either

    listed = administrator.get(CHANGELIST).content.decode()
    assert "nightly import" in listed and token.prefix in listed and secret not in listed
    shown = administrator.get(reverse("admin:extraditions_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in shown and secret not in shown and token.digest not in shown


def test_tokens_last_at_most_a_year_and_only_staff_get_one(administrator):
    journalist = User.objects.create_user("journalist")
    response = administrator.post(ADD, {"user": journalist.pk, "name": "reads", "days": 30})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = administrator.post(ADD, {"user": staff("vera").pk, "name": "forever", "days": MAX_DAYS + 1})
    assert "Ensure this value is less than or equal to 365" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_an_administrator_revokes_tokens(administrator, secret_person):
    token, secret = issue_token(staff("vera"), "scripts")
    kept, kept_secret = issue_token(staff("victor"), "other scripts")
    response = administrator.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    assert read(secret_person, f"Bearer {secret}").status_code == 401
    assert read(secret_person, f"Bearer {kept_secret}").status_code == 200
    token.refresh_from_db()
    assert token.revoked_by.username == "ada"
    assert "revoked" in administrator.get(CHANGELIST, {"state": "revoked"}).content.decode()


@pytest.mark.parametrize("role", [RESEARCHER, EDITOR, VIEWER])
def test_other_staff_can_neither_see_issue_nor_revoke_tokens(client, role):
    token, _ = issue_token(staff("vera"), "scripts")
    user = staff("someone", role)
    # Even given the model's permissions one by one: tokens are an administrator's business.
    user.user_permissions.add(*Permission.objects.filter(content_type__model="apitoken"))
    verify_second_factor(client, user)
    assert "API tokens" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {"user": user.pk, "name": "mine", "days": 30}).status_code == 403
    assert client.post(CHANGELIST, {"action": "revoke", "_selected_action": [token.pk]}).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.objects.count() == 1


def test_a_token_cannot_be_edited_or_deleted_only_revoked(administrator):
    token, _ = issue_token(staff("vera"), "scripts")
    change = reverse("admin:extraditions_apitoken_change", args=[token.pk])
    assert administrator.post(change, {"name": "renamed", "user": token.user_id}).status_code == 403
    assert administrator.get(reverse("admin:extraditions_apitoken_delete", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.name == "scripts"


# --- manage.py create_api_token ---------------------------------------------------------------------


def test_the_command_prints_the_secret_once(secret_person):
    staff("vera")
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "vera", "--name", "office server", "--days", "7", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith(token.prefix) and secret not in err.getvalue() and "cannot be shown again" in err.getvalue()
    assert datetime.timedelta(days=6) < token.expires_at - timezone.now() <= datetime.timedelta(days=7)
    assert token.name == "office server" and token.created_by is None
    assert read(secret_person, f"Bearer {secret}").status_code == 200


@pytest.mark.parametrize("arguments, message", [
    (["nobody", "--name", "x"], "No user 'nobody'"),
    (["journalist", "--name", "x"], "not an active member of staff"),
    (["vera", "--name", "x", "--days", "400"], "1 to 365 days"),
])
def test_the_command_refuses_what_cannot_be_issued(arguments, message):
    staff("vera")
    User.objects.create_user("journalist")
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *arguments, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_the_schema_documents_the_bearer_scheme(client):
    schema = json.loads(client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http", "scheme": "bearer",
        "description": "A staff member's API token, issued by an administrator (`Token <token>` is also accepted).",
    }
