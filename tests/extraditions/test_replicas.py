"""Read replicas (DATABASE_REPLICA_URLS), with two real databases: a primary and a replica that is
a copy of it taken at a moment, as a lagging replica is. The public's reads come from the replica;
writes, reads inside a transaction, and staff requests go to the primary."""

import pytest

from tests.processes import run_django


@pytest.fixture
def databases(tmp_path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        "DATABASE_REPLICA_URLS": f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "",
    }


def test_reads_go_to_the_replica_and_writes_to_the_primary(databases):
    found = run_django(
        """
        import shutil
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connections, transaction
        from django.test import Client
        from cases.models import Case
        from extraditions.tokens import issue_token
        from tests.factories import CaseFactory

        def replicate():
            connections.close_all()
            shutil.copyfile(settings.DATABASES["default"]["NAME"], settings.DATABASES["replica1"]["NAME"])

        call_command("migrate", verbosity=0)
        staff = User.objects.create_user("researcher", is_staff=True, is_superuser=True)
        token = issue_token(staff, "replica test")[1]
        replicate()

        CaseFactory(title="Written after the copy")
        client = Client()
        found = {
            "aliases": sorted(settings.DATABASES),
            "read": Case.objects.count(),
            "written": Case.objects.using("default").count(),
            "on_replica": Case.objects.using("replica1").count(),
        }
        with transaction.atomic():
            found["read_in_transaction"] = Case.objects.count()
        public = client.get("/api/v1/cases/").json()
        found["public_api"], found["public_count"] = len(public["results"]), public["count"]
        found["staff_api"] = len(client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}").json()["results"])
        replicate()
        found["public_api_after_replication"] = len(client.get("/api/v1/cases/").json()["results"])
        print(json.dumps(found))
        """,
        timeout=300,
        **databases,
    )
    assert found["aliases"] == ["default", "replica1"]
    assert found["written"] == 1 and found["on_replica"] == 0
    assert found["read"] == 0  # from the replica, which has not caught up
    assert found["read_in_transaction"] == 1  # a transaction reads what it wrote
    assert found["public_api"] == 0 and found["staff_api"] == 1
    # What is cached until the data changes (a count) is computed on the primary, never on a
    # replica that lags: it would otherwise stay behind after the replica caught up.
    assert found["public_count"] == 1
    assert found["public_api_after_replication"] == 1


def test_migrations_run_on_the_primary_only(databases):
    found = run_django(
        """
        from django.core.management import call_command
        from django.db import connections
        call_command("migrate", verbosity=0)
        print(json.dumps({alias: len(connections[alias].introspection.table_names()) for alias in ("default", "replica1")}))
        """,
        timeout=300,
        **databases,
    )
    assert found["default"] > 50 and found["replica1"] == 0
