"""Root URLs."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.http import HttpResponse
from django.urls import include, path

from dataset.sitemaps import SITEMAPS

from .health import healthz

ROBOTS = "User-agent: *\nDisallow: /admin/\nDisallow: /api-auth/\nSitemap: {sitemap}\n"


def robots(request):
    return HttpResponse(ROBOTS.format(sitemap=request.build_absolute_uri("/sitemap.xml")), content_type="text/plain")


urlpatterns = [
    path("", include("extraditions.site_urls")),  # the public website
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("robots.txt", robots, name="robots"),
    # Not cached: a record restricted a minute ago must leave the sitemap at once.
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"}, name="sitemap"),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("api/v1/", include("extraditions.api.urls")),
    # The browsable API's log-in is the staff workspace's: the same second factor and lock-out.
    path(
        "api-auth/",
        include(([path("login/", admin.site.login, name="login"), path("logout/", admin.site.logout, name="logout")], "rest_framework")),
    ),
]

# Under /api/ these answer in the API's error format; elsewhere, as web pages.
handler400 = "extraditions.api.errors.bad_request"
handler404 = "extraditions.api.errors.not_found"
handler500 = "extraditions.api.errors.server_error"
