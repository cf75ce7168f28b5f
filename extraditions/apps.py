from django.apps import AppConfig


class ExtraditionsConfig(AppConfig):
    """The project package is also an app: it holds shared templates and management commands."""

    name = "extraditions"
    verbose_name = "Extraditions tracker"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_migrate

        from .api import schema  # noqa: F401  (registers the API's schema extensions)
        from .caching import migration_finished, migration_started, new_data_version, records_changed
        from .roles import setup_roles_after_migrate

        post_migrate.connect(setup_roles_after_migrate, dispatch_uid="extraditions-setup-roles")
        # A migration may rewrite rows without a signal: nothing cached before it is current.
        post_migrate.connect(new_data_version, dispatch_uid="extraditions-new-data-version")
        pre_migrate.connect(migration_started, dispatch_uid="extraditions-migration-started")
        post_migrate.connect(migration_finished, dispatch_uid="extraditions-migration-finished")
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(records_changed, dispatch_uid=f"extraditions-records-changed-{id(signal)}")

