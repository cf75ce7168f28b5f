from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Documents behind the facts: sources, citations and the figures sources report."""

    name = "sources"

    def ready(self):
        from .search import register_search

        register_search()
