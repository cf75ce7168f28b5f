"""The site's home page: the dataset as a whole, its figures, map and latest cases (the data page
and its downloads are in ``downloads.py``)."""

from django.utils import timezone
from django.views.generic import TemplateView

from cases import reads as case_reads
from cases.charts import returns_per_year_chart
from cases.models import Case
from extraditions.pages import SitePageMixin
from treaties.maps import extradition_treaties, world_map

from .stats import headline_figures


class HomeView(SitePageMixin, TemplateView):
    """The headline figures, each leading to its records and sources; persons returned per year;
    today's treaty map; the latest cases, with their dates."""

    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        latest = case_reads.with_return(Case.objects.visible_to(user), user).order_by("-created_at")[:6]
        treaty_map = world_map(list(extradition_treaties(user, today)), today)
        returns = case_reads.chart_counts(user)["returns_per_year"]
        return {
            **super().get_context_data(**kwargs),
            "figures": headline_figures(today, user), "on": today, "map": treaty_map,
            "latest": case_reads.with_return_dates(latest),
            "returned": case_reads.grand_total(returns),
            "returns_chart": returns_per_year_chart(returns, id="returns-per-year", title="Persons returned to China per year"),
        }
