from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Persons, the attempts to return them to China, and everything that happens in a case."""

    name = "cases"

    def ready(self):
        from .search import register_search

        register_search()
