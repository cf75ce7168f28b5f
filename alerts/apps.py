from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Telling people when the public record changes: Atom feeds, saved searches with e-mail
    alerts, webhooks, and the detection of changes they are all fed from (``docs/alerts.md``)."""

    name = "alerts"
    verbose_name = "Alerts, feeds and webhooks"

    def ready(self):
        from extraditions.caching import records_committed

        from . import tasks

        # After every committed change to the records: look for what the public now sees differently.
        records_committed.connect(tasks.on_records_committed, dispatch_uid="alerts-records-committed")
