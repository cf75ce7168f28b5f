from django.apps import AppConfig


class DatasetConfig(AppConfig):
    """What reads across the domain apps: headline figures, country summaries, search across
    kinds, sitemaps, the seed loader, synthetic data and backups. The domain apps never import it;
    ``extraditions/`` (infrastructure) does only to assemble the URLs."""

    name = "dataset"
    verbose_name = "The dataset as a whole"
