"""Subscribing to a list's alerts, confirming, unsubscribing: the public pages of saved searches.

Nothing is sent before the address's owner confirms from the mail (with a button, not by the
link alone: mail scanners follow links); every alert unsubscribes in one click. No answer says
whether an address was already subscribed. The pages reached by a subscription's secret link, or
showing an address, are ``private, no-store`` (no shared cache may keep them), and their
canonical address and citation are the alerts page's, not the secret link.
"""

from __future__ import annotations

from django.db.models import Max
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from extraditions.jobs import after_commit
from extraditions.pages import SitePageMixin, citation_text

from . import tasks
from .forms import SubscribeForm, describe, is_expired
from .listings import LISTINGS
from .models import RecordEvent, Subscription

NOT_STORED = "private, no-store"


def search_context(listing, query: str) -> dict:
    """How a page names a saved search (``query`` as given, canonicalised), and the list page it follows."""
    if listing is None:
        return {"listing": None}
    query = listing.params_of(QueryDict(query)).urlencode()
    page = reverse(listing.page)
    return {"listing": listing, "description": describe(listing, query), "page": f"{page}?{query}" if query else page}


class AlertPageView(SitePageMixin, TemplateView):
    page_title = "E-mail alerts"
    page_description = "E-mail alerts for a list or a search of the tracker: what is new or updated in it, as often as you choose."

    def render(self, template: str, *, status: int = 200, private: bool = True, **context):
        response = self.response_class(
            request=self.request, template=[template], status=status,
            context=self.get_context_data(**context, private=private),
        )
        if private:
            response["Cache-Control"] = NOT_STORED
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if kwargs.get("private"):  # never a link's secret in the page, nor in a citation copied from it
            context["canonical_url"] = self.request.build_absolute_uri(reverse("site:alert-subscribe"))
            context["cite"] = citation_text(self.get_page_title(), context["canonical_url"])
        return context


# The form is on every list page, which shared caches keep for everyone: a CSRF token, each
# visitor's own, cannot be in it. A forged post can do no more than its victim could do alone — ask
# for a confirmation mail, at most one per address and search every ten minutes — and nothing is
# sent to an address until its owner confirms.
@method_decorator(csrf_exempt, name="dispatch")
class SubscribeView(AlertPageView):
    def get(self, request):
        listing = LISTINGS.get(request.GET.get("listing", ""))
        query = listing.params_of(QueryDict(request.GET.get("query", ""))).urlencode() if listing else ""
        form = SubscribeForm(initial={"listing": listing.name if listing else "", "query": query})
        # The same blank form for everyone: a shared cache may keep it.
        return self.render("alerts/subscribe.html", private=False, form=form, **search_context(listing, query))

    def post(self, request):
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            listing = LISTINGS.get(form.data.get("listing", ""))
            return self.render(
                "alerts/subscribe.html", status=400, form=form, **search_context(listing, form.data.get("query", ""))
            )
        subscription, send = form.save()
        if send:
            after_commit(tasks.send_confirmation, subscription.pk)
        # The same answer whether the address is new, waiting for confirmation or already confirmed.
        return self.render(
            "alerts/check_inbox.html", email=form.cleaned_data["email"],
            **search_context(LISTINGS[subscription.listing], subscription.query),
        )


class SubscriptionLinkView(AlertPageView):
    """A page reached by a subscription's secret link (from a mail)."""

    def subscription(self) -> Subscription | None:
        return Subscription.objects.filter(token=self.kwargs["token"]).first()

    def subscription_context(self, subscription: Subscription) -> dict:
        return {
            "subscription": subscription, "frequency": subscription.get_frequency_display(),
            **search_context(LISTINGS[subscription.listing], subscription.query),
        }

    def unknown(self):
        self.page_title = "This link is not valid"
        return self.render("alerts/link_unknown.html", status=404)


# Posted from the page the mail's link opens, which is not cached: it could carry a CSRF token,
# but it would add nothing: the secret in the address is what a forged post could not know.
@method_decorator(csrf_exempt, name="dispatch")
class ConfirmView(SubscriptionLinkView):
    page_title = "Confirm your e-mail alerts"

    def get(self, request, token):
        subscription = self.subscription()
        if subscription is None or is_expired(subscription):
            return self.unknown()
        return self.render("alerts/confirm.html", **self.subscription_context(subscription))

    def post(self, request, token):
        subscription = self.subscription()
        if subscription is None or is_expired(subscription):
            return self.unknown()
        # The first alert covers what happens from now on, not what was already public. Confirming
        # twice changes nothing (the conditional update): the events since stay due.
        last_event = RecordEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), last_event_id=last_event
        )
        return self.render("alerts/confirmed.html", **self.subscription_context(subscription))


# Mail clients unsubscribe with a POST and no cookie (RFC 8058, List-Unsubscribe-Post): no CSRF
# token is possible, and the secret in the address is the proof.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SubscriptionLinkView):
    """One click, from any alert: the link itself unsubscribes (GET), as does a mail client's
    one-click POST. A link already used says that nothing is subscribed with it (not a 404: the
    reader has what they asked for)."""

    page_title = "Unsubscribed"

    def get(self, request, token):
        subscription = self.subscription()
        if subscription is None:
            return self.render("alerts/unsubscribed.html")
        context = self.subscription_context(subscription)
        subscription.delete()
        return self.render("alerts/unsubscribed.html", form=SubscribeForm(initial={
            "listing": subscription.listing, "query": subscription.query, "email": subscription.email,
            "frequency": subscription.frequency,
        }), **context)

    post = get
