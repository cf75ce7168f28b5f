"""Fixtures shared by the whole suite."""

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def verify_second_factor(client, user) -> None:
    """Log ``user`` in as if with password and authenticator code (administrators must have one)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test authenticator", defaults={"confirmed": True})
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, with the second factor a superuser needs."""
    verify_second_factor(client, admin_user)
    return client


@pytest.fixture
def world(db):
    """One public record of every kind, all linked (tests/api/conftest.build_world)."""
    from tests.api.conftest import build_world

    return build_world("public")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: figures cached by one test's (rolled back) records
    must not answer the next."""
    from django.core.cache import cache

    cache.clear()
    yield
