"""The public website's URLs, with the same identifiers as the API: each app's pages (its
``urls.py``) and the site-wide ones, under the "site" namespace."""

from django.urls import include, path

from dataset.downloads import BulkFileView, DataPageView
from dataset.views import HomeView

from .pages import SitePageView

app_name = "site"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("cases.urls")),
    path("", include("treaties.urls")),
    path("", include("sources.urls")),
    path("", include("alerts.urls")),  # feeds and e-mail alerts of the lists above
    path("about/", SitePageView.as_view(template_name="site/about.html", page_title="About and methodology"), name="about"),
    path("data/", DataPageView.as_view(), name="downloads"),
    path("data/bulk/<str:file_format>/", BulkFileView.as_view(), name="bulk-download"),
]
