from django.apps import AppConfig


class ExtraditionsConfig(AppConfig):
    """The project package is also an app: it holds shared templates and management commands."""

    name = "extraditions"
    verbose_name = "Extraditions tracker"
