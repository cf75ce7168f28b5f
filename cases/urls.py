"""The public website's URLs, with the same identifiers as the API."""

from django.urls import path

from extraditions.pages import SitePageView
from sources.views import FiguresView, SourceDetailView, SourceListView
from treaties.views import CountryView, TreatyDetailView, TreatyMapView

from . import views

app_name = "site"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("persons/", views.PersonListView.as_view(), name="person-list"),
    path("persons/<slug:id>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("rulings/", views.RulingSearchView.as_view(), name="ruling-list"),
    path("rulings/<slug:id>/", views.RulingDetailView.as_view(), name="ruling-detail"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/<uuid:id>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("countries/<str:code>/", CountryView.as_view(), name="country-detail"),
    path("treaties/map/", TreatyMapView.as_view(), name="treaty-map"),
    path("treaties/<slug:id>/", TreatyDetailView.as_view(), name="treaty-detail"),
    path("sources/", SourceListView.as_view(), name="source-list"),
    path("sources/<slug:id>/", SourceDetailView.as_view(), name="source-detail"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("about/", SitePageView.as_view(template_name="site/about.html", page_title="About and methodology"), name="about"),
    path("data/", views.DownloadsView.as_view(), name="downloads"),
]
