from django.apps import AppConfig


class ExtraditionsConfig(AppConfig):
    """The project package is also an app: it holds shared templates and management commands."""

    name = "extraditions"
    verbose_name = "Extraditions tracker"

    def ready(self):
        from .api import schema  # noqa: F401  (registers the API's schema extensions)
