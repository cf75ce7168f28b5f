"""Reading a website page in view tests."""


def page(client, url: str, status: int = 200) -> str:
    """The page's HTML, after checking its status."""
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()
