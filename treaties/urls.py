"""The public website's pages for countries, the treaty map and treaties (in ``site_urls``'s "site" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/<str:code>/", views.CountryView.as_view(), name="country-detail"),
    path("treaties/map/", views.TreatyMapView.as_view(), name="treaty-map"),  # before treaties/<id>/
    path("treaties/<slug:id>/", views.TreatyDetailView.as_view(), name="treaty-detail"),
]
