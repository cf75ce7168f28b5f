"""A record's API address is known wherever it is asked for, not only once a request has loaded the URLs."""

from tests.processes import run_django


def test_a_record_s_api_address_outside_any_request():
    found = run_django(
        """
        from cases.models import Case
        from extraditions.identifiers import api_lists, api_url
        print(json.dumps({"url": api_url(Case(slug="a-case"), None), "lists": len(api_lists())}))
        """,
        DATABASE_URL="sqlite:///:memory:", DEBUG="1",
    )
    assert found["url"] == "/api/v1/cases/a-case/" and found["lists"] > 10
