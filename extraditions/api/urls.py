"""Everything under /api/v1/: the resources, the headline figures, the schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from alerts.api.views import WebhookViewSet
from cases.api import views as cases
from dataset.api.countries import CountryViewSet
from dataset.api.search import SearchView
from dataset.api.stats import StatsView
from sources.api import views as sources
from treaties.api import views as treaties

from .docs import RedocDocsView, SwaggerDocsView
from .pending import PendingChangeViewSet
from .routers import router

router.register("persons", cases.PersonViewSet)
router.register("aliases", cases.AliasViewSet)
router.register("affiliations", cases.AffiliationViewSet)
router.register("cases", cases.CaseViewSet)
router.register("case-participants", cases.CaseParticipantViewSet)
router.register("extradition-requests", cases.ExtraditionRequestViewSet)
router.register("detentions", cases.DetentionViewSet)
router.register("case-events", cases.CaseEventViewSet)
router.register("notices", cases.InterpolNoticeViewSet)
router.register("rulings", cases.CourtRulingViewSet)
router.register("legal-provisions", cases.LegalProvisionViewSet)
router.register("assurances", cases.DiplomaticAssuranceViewSet)
router.register("breaches", cases.BreachViewSet)
router.register("treaties", treaties.TreatyViewSet)
router.register("treaty-steps", treaties.TreatyStepViewSet)
router.register("countries", CountryViewSet, basename="country")
router.register("sources", sources.SourceViewSet)
router.register("citations", sources.CitationViewSet)
router.register("reported-figures", sources.ReportedFigureViewSet)

app_name = "api"

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("search/", SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocsView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocDocsView.as_view(url_name="api:schema"), name="redoc"),
    # Staff only, so not in the router's public root.
    path("pending-changes/", PendingChangeViewSet.as_view({"get": "list"}), name="pendingchange-list"),
    path("pending-changes/<int:pk>/", PendingChangeViewSet.as_view({"get": "retrieve"}), name="pendingchange-detail"),
    path("pending-changes/<int:pk>/approve/", PendingChangeViewSet.as_view({"post": "approve"}), name="pendingchange-approve"),
    path("pending-changes/<int:pk>/reject/", PendingChangeViewSet.as_view({"post": "reject"}), name="pendingchange-reject"),
    path("webhooks/", WebhookViewSet.as_view({"get": "list", "post": "create"}), name="webhook-list"),
    path("webhooks/<int:pk>/", WebhookViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
         name="webhook-detail"),
    path("webhooks/<int:pk>/deliveries/", WebhookViewSet.as_view({"get": "deliveries"}), name="webhook-deliveries"),
    path("", include(router.urls)),
]
