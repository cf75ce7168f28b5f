from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """Documents behind the facts: sources, citations and the figures sources report."""

    name = "sources"
