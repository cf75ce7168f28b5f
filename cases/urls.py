"""The public website's URLs, with the same identifiers as the API."""

from django.urls import path
from django.views.generic import TemplateView

from sources.views import FiguresView, SourceListView
from treaties.views import CountryView, TreatyMapView

from . import views

app_name = "site"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("persons/", views.PersonListView.as_view(), name="person-list"),
    path("persons/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("countries/<str:code>/", CountryView.as_view(), name="country-detail"),
    path("rulings/", views.RulingSearchView.as_view(), name="ruling-list"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("treaties/map/", TreatyMapView.as_view(), name="treaty-map"),
    path("sources/", SourceListView.as_view(), name="source-list"),
    path("figures/", FiguresView.as_view(), name="figures"),
    path("about/", TemplateView.as_view(template_name="site/about.html"), name="about"),
    path("data/", views.DownloadsView.as_view(), name="downloads"),
]
