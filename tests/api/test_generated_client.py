"""A Python client generated from the served schema works, as a journalist would make and use it.

Over real HTTP (pytest-django's live server): the schema is downloaded from /api/v1/schema/,
openapi-python-client (the venv's: the `test` extra) generates a package from it, refusing any
warning, and that package lists cases, filters them, follows a cursor to the next page and reads
one record by its id. Each answer must come back as the generated typed objects.
"""

import datetime
import importlib
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cases import models as cases
from tests import factories as f
from tests.api.conftest import build_world

PACKAGE = "extraditions_api_client"  # what `--output-path` names the generated package
# The generator's post-hooks format the code with ruff, for people who read it; importing it needs
# none of that, and a machine with only `make install` has no ruff on its PATH.
CONFIG = "post_hooks: []\n"


@pytest.fixture
def generated_client(live_server, tmp_path, monkeypatch):
    """The client package generated from the live server's schema, importable for this test only."""
    schema = httpx.get(f"{live_server.url}/api/v1/schema/?format=json", timeout=60)
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    generate = [
        sys.executable, "-m", "openapi_python_client", "generate", "--path", str(tmp_path / "schema.json"),
        "--output-path", str(tmp_path / PACKAGE), "--meta", "none", "--config", str(tmp_path / "config.yaml"),
        "--fail-on-warning",
    ]
    run = subprocess.run(generate, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"openapi-python-client failed:\n{run.stdout}\n{run.stderr}"
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def refused_case_in_thailand(n: int) -> cases.Case:
    return f.CaseFactory(
        slug=f"th-refused-{n}", title=f"Refused in Thailand {n}", host_country="TH", outcome=cases.CaseOutcome.REFUSED,
        started_on=datetime.date(2019, n, 1), started_on_precision="month",
    )


def test_a_generated_client_lists_filters_pages_and_reads_cases(transactional_db, live_server, generated_client):
    world = build_world("client")  # a case in Sweden with persons, a treaty, notices and citations
    refused = [refused_case_in_thailand(n) for n in (1, 2, 3)]
    client = importlib.import_module(f"{PACKAGE}.client").Client(base_url=live_server.url, timeout=60)
    api = importlib.import_module(f"{PACKAGE}.api.cases")
    importlib.import_module(f"{PACKAGE}.api.cases.cases_list")
    importlib.import_module(f"{PACKAGE}.api.cases.cases_retrieve")
    models = importlib.import_module(f"{PACKAGE}.models")

    everything = api.cases_list.sync(client=client)
    assert isinstance(everything, models.PaginatedCaseList)
    assert everything.count == 4
    assert all(isinstance(case, models.Case) for case in everything.results)

    # Refused in Thailand, two a page: the three of them over two pages.
    filters = {
        "outcome": [models.CasesListOutcomeItem.REFUSED],
        "host_country": [models.CasesListHostCountryItem.TH],
        "page_size": 2,
    }
    first = api.cases_list.sync(client=client, **filters)
    assert isinstance(first, models.PaginatedCaseList)
    assert (first.count, len(first.results)) == (3, 2)
    cursor = parse_qs(urlsplit(first.next_).query)["cursor"][0]
    second = api.cases_list.sync(client=client, cursor=cursor, **filters)
    assert isinstance(second, models.PaginatedCaseList)
    assert (len(second.results), second.next_) == (1, None)
    found = [*first.results, *second.results]
    assert [case.id for case in found] == [case.slug for case in reversed(refused)]  # the latest started first
    assert {case.outcome for case in found} == {models.CaseOutcomeEnum.REFUSED}
    assert {case.host_country for case in found} == {models.CountryEnum.TH}
    assert found[0].started == "2019-03"

    case = world["case"]
    record = api.cases_retrieve.sync(case.slug, client=client)
    assert isinstance(record, models.CaseDetail)
    assert (record.id, record.title, record.uid) == (case.slug, case.title, case.uid)
    assert record.kind == models.CaseKindEnum.FORMAL_EXTRADITION
    assert record.host_country == models.CountryEnum.SE
    assert isinstance(record.treaty, models.TreatySummary)
    assert record.treaty.id == world["treaty"].slug
    assert [participant.person.label for participant in record.persons] == [world["person"].name]
    assert isinstance(record.persons[0], models.ParticipantBrief)
    assert [citation.source.id for citation in record.citations] == [world["source"].slug]

    missing = api.cases_retrieve.sync("no-such-case", client=client)
    assert isinstance(missing, models.Problem)
    assert missing.status == 404
