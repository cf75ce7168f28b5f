"""The public website's pages for cases, persons, rulings and INTERPOL notices (in ``site_urls``'s "site" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<slug:id>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("persons/", views.PersonListView.as_view(), name="person-list"),
    path("persons/<slug:id>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("rulings/", views.RulingSearchView.as_view(), name="ruling-list"),
    path("rulings/<slug:id>/", views.RulingDetailView.as_view(), name="ruling-detail"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/<uuid:id>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("figures/returns.csv", views.ReturnsTableView.as_view(), name="returns-table"),
]
