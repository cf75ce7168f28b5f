"""The public website's pages for sources and reported figures (in ``site_urls``'s "site" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:id>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
