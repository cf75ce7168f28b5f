"""The public website's pages for sources and reported figures (in ``site_urls``'s "site" namespace)."""

from django.urls import path, register_converter

from . import views


class StoredFileName:
    """A stored file's name, as the storage makes it (``get_valid_name``): letters, digits, "-",
    "_", "." and "/". Anything else is no file of ours, and a NUL would reach the database."""

    regex = r"[-\w./]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StoredFileName, "stored_file")

urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<slug:id>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("sources/<slug:id>/pages/<slug:label>/", views.SourcePageView.as_view(), name="source-page"),
    path("documents/<stored_file:name>", views.SourceFileView.as_view(), name="source-file"),
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
