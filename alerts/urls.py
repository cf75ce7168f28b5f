"""The public website's feeds and alert pages (in ``site_urls``'s "site" namespace)."""

from django.urls import path
from django.views.generic import RedirectView

from . import feeds, views

urlpatterns = [
    path("feeds/", feeds.FeedIndexView.as_view(), name="feed-index"),
    path("feeds/<slug:listing>/", feeds.ListingFeedView.as_view(), name="feed"),
    path("rss/", RedirectView.as_view(pattern_name="site:feed-index", permanent=True)),
    path("alerts/", views.SubscribeView.as_view(), name="alert-subscribe"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else is no token, a 404.
    path("alerts/confirm/<slug:token>/", views.ConfirmView.as_view(), name="alert-confirm"),
    path("alerts/unsubscribe/<slug:token>/", views.UnsubscribeView.as_view(), name="alert-unsubscribe"),
]
