"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("", include("cases.urls")),  # the public website
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("extraditions.api.urls")),
    # The browsable API's log-in is the staff workspace's: the same second factor and lock-out.
    path(
        "api-auth/",
        include(([path("login/", admin.site.login, name="login"), path("logout/", admin.site.logout, name="logout")], "rest_framework")),
    ),
]

# Under /api/ these answer in the API's error format; elsewhere, as web pages.
handler404 = "extraditions.api.errors.not_found"
handler500 = "extraditions.api.errors.server_error"
