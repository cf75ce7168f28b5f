"""Reading a website page in view tests, and counting what it costs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page(client, url: str, status: int = 200) -> str:
    """The page's HTML, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def queries_for(client, url: str) -> int:
    """How many SQL queries the page costs (visit it once before, to warm the per-process caches)."""
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    return len(captured.captured_queries)
