"""The public list of treaties (the API's; on the site, the treaty map), as its feed and saved searches select them."""

from extraditions.filtering import Listing

from .filtersets import TreatyFilterSet
from .models import Treaty

TREATIES = Listing("treaties", Treaty, TreatyFilterSet, page="site:treaty-map", noun="treaty", title="Treaties")
