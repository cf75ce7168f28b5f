"""The API's documentation pages, under the site's Content-Security-Policy.

Swagger UI loads its start-up script from a second request instead of inline; ReDoc starts from
an element (templates/drf_spectacular/redoc.html). Both render with styles they inject at run
time, so their pages, and only theirs, allow inline styles; scripts stay the site's own.
"""

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {"style-src": ["'self'", "'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}


class DocsPageMixin:
    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.csp_overrides = DOCS_CSP
        return response


class SwaggerDocsView(DocsPageMixin, SpectacularSwaggerSplitView):
    pass


class RedocDocsView(DocsPageMixin, SpectacularRedocView):
    pass
