"""Every public list that feeds, saved searches and webhooks follow, by name (``/feeds/<name>/``)."""

from cases.listings import CASES, NOTICES, PERSONS, RULINGS
from extraditions.filtering import NO_VALUE, Listing
from sources.listings import SOURCES
from treaties.listings import TREATIES

from .models import ListName

LISTINGS: dict[str, Listing] = {listing.name: listing for listing in (CASES, RULINGS, PERSONS, NOTICES, SOURCES, TREATIES)}
# The lists the models name (alerts.models.ListName: no filter set is loaded with the models).
assert sorted(LISTINGS) == sorted(ListName.values), "alerts.models.ListName must name every listing"


def parameter_label(listing: Listing, name: str, value: str) -> str:
    """A parameter's value as a reader would say it: a choice's or a country's name, not its code."""
    if value == NO_VALUE:
        return "unknown"
    choices = getattr(listing.filterset_class.base_filters.get(name), "extra", {}).get("choices") or ()
    names = dict(choices() if callable(choices) else choices)
    return str(names.get(value) or names.get(value.upper()) or value)  # country codes are read in any case


def filter_terms(listing: Listing, params) -> list[str]:
    """A search's filters in words (``decision: Extradition refused``), its ``q`` left out: how feed
    titles, alert mails and the alert pages name a saved search."""
    return [
        f"{name.replace('_', ' ')}: {' or '.join(parameter_label(listing, name, value) for value in params.getlist(name))}"
        for name in sorted(params) if name != "q"
    ]
