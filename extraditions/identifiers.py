"""How a record is named in URLs, on the site and in the API: its stable id, and its API address.

A record's stable id is its slug, or its UUID for records without one. The API's router says,
as it registers each resource, which model it serves under which route name
(:func:`register_api_resource`); the site links to the API through :func:`api_url` and
:func:`api_list_url` without importing the API.
"""

from __future__ import annotations

from functools import cache

from django.urls import get_resolver, get_script_prefix, reverse

_model_basenames: dict[type, str] = {}  # model → route name of the API resource serving it
_resources: list[tuple[str, str]] = []  # (URL prefix, route name) of every API list, in order


def register_api_resource(prefix: str, basename: str, model: type | None = None) -> None:
    """Called by the API's router for each resource it serves."""
    _resources.append((prefix, basename))
    if model is not None:
        _model_basenames.setdefault(model, basename)


def registered() -> None:
    """The router registers the resources when the URL conf is imported: import it if no request
    has yet (a command, a script), rather than answer that the API serves nothing."""
    if not _resources:
        get_resolver().url_patterns  # noqa: B018 - loading the URL conf is the point


def api_basenames() -> dict[type, str]:
    """Every model the API serves, with its route name."""
    registered()
    return _model_basenames


def api_lists() -> list[tuple[str, str]]:
    """(prefix, URL) of every list of the API, in the order of its root."""
    registered()
    return [(prefix, reverse(f"api:{basename}-list")) for prefix, basename in _resources]


@cache
def stable_id_field(model) -> str:
    """The field whose value identifies a record in URLs: its slug, else its UUID."""
    return "slug" if any(f.name == "slug" for f in model._meta.get_fields()) else "uid"


def stable_id(obj) -> str:
    return str(getattr(obj, stable_id_field(type(obj))))


def basename_of(model) -> str | None:
    """The route name of the API resource serving ``model``, for links to its records."""
    return api_basenames().get(model)


def api_list_url(model) -> str:
    """The path of the API's list of ``model``'s records."""
    return reverse(f"api:{basename_of(model)}-list")


def api_url(obj, request) -> str | None:
    """The record's URL in the API, absolute when there is a request (without its ?format=)."""
    basename = basename_of(type(obj))
    if basename is None:
        return None
    before, after = detail_path(basename, get_script_prefix())
    path = f"{before}{stable_id(obj)}{after}"  # slugs and UUIDs need no escaping
    return request.build_absolute_uri(path) if request is not None else path


PLACEHOLDER_ID = "0" * 32  # matches both a slug's and a UUID's pattern


@cache
def detail_path(basename: str, script_prefix: str) -> tuple[str, str]:
    """A resource's detail path around its id, reversed once: reverse() for every link was an
    eighth of the time of a list request."""
    before, _, after = reverse(f"api:{basename}-detail", kwargs={"id": PLACEHOLDER_ID}).partition(PLACEHOLDER_ID)
    return before, after
