"""The API's router: every resource under /api/v1/, and which model each one serves."""

from rest_framework.routers import DefaultRouter

from extraditions.identifiers import api_basenames, register_api_resource


class ApiRouter(DefaultRouter):
    include_format_suffixes = False  # formats are chosen with ?format= or the Accept header

    def get_api_root_view(self, api_urls=None):
        """The root lists the resources, then the headline figures and the documentation."""
        list_route = self.routes[0].name
        root = {prefix: list_route.format(basename=basename) for prefix, _, basename in self.registry}
        root.update(search="search", stats="stats", schema="schema", docs="docs")
        return self.APIRootView.as_view(api_root_dict=root)

    def register(self, prefix, viewset, basename=None):
        super().register(prefix, viewset, basename)
        queryset = getattr(viewset, "queryset", None)
        register_api_resource(prefix, basename or self.get_default_basename(viewset), getattr(queryset, "model", None))

    @property
    def model_basenames(self) -> dict:
        """Which model each resource serves (``extraditions.identifiers`` keeps the list)."""
        return api_basenames()


router = ApiRouter()

