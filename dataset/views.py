"""The site's pages about the dataset as a whole: the home page's figures, map and latest cases,
and the list of downloads."""

from django.utils import timezone
from django.views.generic import TemplateView

from cases.models import Case
from extraditions.identifiers import api_lists
from extraditions.pages import SitePageMixin
from treaties.maps import extradition_treaties, world_map

from .stats import headline_figures


class HomeView(SitePageMixin, TemplateView):
    """The headline figures, each leading to its records and sources; today's treaty map; the latest cases."""

    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        latest = Case.objects.visible_to(user).order_by("-created_at")[:6]
        treaty_map = world_map(list(extradition_treaties(user, today)), today)
        return {
            **super().get_context_data(**kwargs),
            "figures": headline_figures(today, user), "on": today, "latest": latest, "map": treaty_map,
        }


class DownloadsView(SitePageMixin, TemplateView):
    template_name = "site/downloads.html"
    page_title = "Data downloads"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "resources": api_lists()}
