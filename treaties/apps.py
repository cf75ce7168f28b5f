from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    """Bilateral agreements of the PRC and the Hong Kong SAR, and their status over time."""

    name = "treaties"

    def ready(self):
        from .search import register_search

        register_search()
