"""The public list of sources, as its page, feed and saved searches select them."""

from extraditions.filtering import Listing

from .filtersets import SourceFilterSet
from .models import Source

SOURCES = Listing("sources", Source, SourceFilterSet, page="site:source-list", noun="source", title="Sources")
