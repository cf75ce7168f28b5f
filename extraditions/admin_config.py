"""The admin app, with the staff workspace's own site (extraditions/admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "extraditions.admin_site.StaffAdminSite"
