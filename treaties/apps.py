from django.apps import AppConfig


class TreatiesConfig(AppConfig):
    """Bilateral agreements of the PRC and the Hong Kong SAR, and their status over time."""

    name = "treaties"
