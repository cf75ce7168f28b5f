"""python manage.py setup_roles: create the staff groups (researcher, editor, viewer, administrator)."""

from django.core.management.base import BaseCommand

from extraditions.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the staff groups and their permissions (also done after every migrate)."

    def handle(self, *args, **options):
        for role, count in setup_roles().items():
            self.stdout.write(f"  {role}: {count} permissions")
        self.stdout.write(self.style.SUCCESS("Staff roles are set up."))
