"""The public website's pages for sources and reported figures (in ``site_urls``'s "site" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:id>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("sources/<slug:id>/pages/<str:label>/", views.SourcePageView.as_view(), name="source-page"),
    path("documents/<path:name>", views.SourceFileView.as_view(), name="source-file"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
