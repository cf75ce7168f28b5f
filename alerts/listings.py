"""Every public list that feeds, saved searches and webhooks follow, by name (``/feeds/<name>/``)."""

from cases.listings import CASES, NOTICES, PERSONS, RULINGS
from extraditions.filtering import Listing
from sources.listings import SOURCES
from treaties.listings import TREATIES

from .models import ListName

LISTINGS: dict[str, Listing] = {listing.name: listing for listing in (CASES, RULINGS, PERSONS, NOTICES, SOURCES, TREATIES)}
# The lists the models name (alerts.models.ListName: no filter set is loaded with the models).
assert sorted(LISTINGS) == sorted(ListName.values), "alerts.models.ListName must name every listing"
