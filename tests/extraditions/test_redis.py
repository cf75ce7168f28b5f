"""Redis as the shared cache: shared by app servers when up, done without when down."""

import os
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from extraditions.redis_cache import ResilientRedisCache

# The machine's Redis (.ci/run starts it), a database of its own for each parallel test worker.
REDIS_UP = f"redis://127.0.0.1:6379/{15 - int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0').removeprefix('gw')) % 8}"
REDIS_DOWN = "redis://127.0.0.1:9/0"  # nothing listens: refused at once

pytestmark = pytest.mark.django_db


def redis_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "extraditions.redis_cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "extraditions-tests",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_two_app_servers_share_what_one_caches():
    first = ResilientRedisCache(REDIS_UP, {"KEY_PREFIX": "extraditions-tests"})
    second = ResilientRedisCache(REDIS_UP, {"KEY_PREFIX": "extraditions-tests"})
    first.set("shared", {"figures": 3}, 30)
    assert second.get("shared") == {"figures": 3}
    assert first.is_available()
    first.delete("shared")


@override_settings(CACHES=redis_cache(REDIS_UP), API_ANONYMOUS_RATE="3/minute")
def test_the_rate_limit_counts_in_redis(client, world):
    caches["default"].clear()
    statuses = [client.get("/api/v1/cases/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    caches["default"].clear()


@override_settings(CACHES=redis_cache(REDIS_DOWN), API_ANONYMOUS_RATE="3/minute")
def test_without_redis_the_site_serves_and_rate_limits_stop_counting(client, world):
    for path in ["/", "/cases/", f"/cases/{world['case'].slug}/", "/api/v1/cases/", "/api/v1/stats/", "/admin/login/"]:
        assert client.get(path).status_code == 200, path
    assert all(client.get("/api/v1/persons/").status_code == 200 for _ in range(5))  # beyond the rate


@override_settings(CACHES=redis_cache(REDIS_DOWN))
def test_without_redis_staff_can_still_log_in(client, world, admin_user):
    from tests.conftest import verify_second_factor

    verify_second_factor(client, admin_user)
    assert client.get("/admin/").status_code == 200


def test_a_redis_outage_costs_one_timeout_then_is_skipped():
    cache = ResilientRedisCache(REDIS_DOWN, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    assert cache.get("anything", "default") == "default"
    started = time.monotonic()
    for _ in range(100):
        assert cache.get("anything") is None
        cache.set("anything", 1)
        assert cache.add("anything", 1) is False
    assert time.monotonic() - started < 0.1
    assert not cache.is_available()
