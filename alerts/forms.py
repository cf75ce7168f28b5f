"""Saving a search of a public list for e-mail alerts: the form, its limits, and the search in words.

A saved search is kept as its list's parameters in canonical order (``Listing.params_of``), so
that the same search made twice is one subscription, and is checked as the public would run it:
a filter the public's list would refuse (an unknown value, the id of a record the public may not
see) is refused here, saying what it accepts, rather than saved and silently dropped later.
"""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils import timezone

from extraditions.filtering import Listing
from extraditions.visibility import public_records

from .listings import LISTINGS, filter_terms
from .models import Subscription

# An address may have this many searches waiting for confirmation: someone typing another's
# address cannot fill their quota, and a confirmation mail goes out at most every RESEND_AFTER.
MAX_UNCONFIRMED = 5
RESEND_AFTER = datetime.timedelta(minutes=10)
# An unconfirmed search whose last confirmation mail is older than this is forgotten: its link no
# longer confirms, it counts against no limit, and the address's next subscription removes it.
CONFIRM_WITHIN = datetime.timedelta(days=3)


def expired_q() -> Q:
    """Subscriptions never confirmed whose confirmation link has expired."""
    cutoff = timezone.now() - CONFIRM_WITHIN
    return Q(confirmed_at__isnull=True) & (
        Q(confirmation_sent_at__lt=cutoff) | Q(confirmation_sent_at__isnull=True, created_at__lt=cutoff)
    )


def is_expired(subscription: Subscription) -> bool:
    sent = subscription.confirmation_sent_at or subscription.created_at
    return not subscription.is_confirmed and sent < timezone.now() - CONFIRM_WITHIN


def describe(listing: Listing, query: str) -> str:
    """A saved search in words, e.g. "Court rulings — decision: Extradition refused; matching “torture”",
    with the labels of choices and countries rather than their codes. One line: it goes into subjects."""
    params = QueryDict(query)
    parts = filter_terms(listing, params)
    if params.get("q"):
        parts.append(f"matching “{params['q']}”")
    title = listing.title if listing.title[1:2].isupper() else listing.title[:1].lower() + listing.title[1:]
    text = f"{listing.title} — {'; '.join(parts)}" if parts else f"All {title}"  # "All INTERPOL notices"
    return " ".join(text.split())  # a newline typed into a search must not reach a mail's subject


class SubscribeForm(forms.Form):
    listing = forms.ChoiceField(
        choices=[(name, listing.title) for name, listing in LISTINGS.items()], label="List",
        error_messages={"invalid_choice": f"Choose one of the lists: {', '.join(LISTINGS)}."},
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    email = forms.EmailField(
        label="Your e-mail address", max_length=Subscription._meta.get_field("email").max_length,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        choices=Subscription.Frequency.choices, initial=Subscription.Frequency.DAILY, label="How often",
    )

    def clean_email(self) -> str:
        # Domains are case-insensitive: stored lower-cased. Local parts are compared without case
        # (Ann@ and ann@ are one mailbox everywhere in practice) but kept as typed.
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        listing = LISTINGS.get(cleaned.get("listing"))
        if listing is None or "query" in self.errors:
            return cleaned
        params = listing.params_of(QueryDict(cleaned.get("query") or ""))
        # As the public's list would read it: a filter naming a record the public may not see is
        # refused exactly like one naming nothing.
        _, refused = listing.filter(params, public_records(listing.model._default_manager.all()))
        if refused:
            self.add_error("query", [f"{name}: {' '.join(messages)}" for name, messages in refused.items()])
            return cleaned
        cleaned["query"] = params.urlencode()
        if len(cleaned["query"]) > Subscription._meta.get_field("query").max_length:
            self.add_error("query", "This search is too long to be saved.")
        elif "email" in cleaned:
            self.check_limits(cleaned["email"], listing.name, cleaned["query"])
        return cleaned

    def check_limits(self, email: str, listing: str, query: str) -> None:
        """An address's searches: at most ``ALERTS_PER_ADDRESS``, at most ``MAX_UNCONFIRMED`` of
        them unconfirmed. Saving a search the address already has is never refused."""
        theirs = Subscription.objects.filter(email__iexact=email).exclude(expired_q())
        if theirs.filter(listing=listing, query=query).exists():
            return
        counts = theirs.aggregate(all=Count("pk"), unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)))
        if counts["all"] >= settings.ALERTS_PER_ADDRESS:
            raise forms.ValidationError(
                f"An address can follow at most {settings.ALERTS_PER_ADDRESS} searches. Every alert has a link "
                "to stop it: unsubscribe from one you no longer need, then try again.", code="limit",
            )
        if counts["unconfirmed"] >= MAX_UNCONFIRMED:
            raise forms.ValidationError(
                f"An address can have at most {MAX_UNCONFIRMED} searches waiting for confirmation. Confirm them "
                "with the links we sent, or try again in a few days.", code="unconfirmed",
            )

    def save(self) -> tuple[Subscription, bool]:
        """The subscription for this address and search, made or found (its frequency updated while
        it is unconfirmed), and whether a confirmation mail should go out now."""
        data = self.cleaned_data
        email, key = data["email"], {"listing": data["listing"], "query": data["query"]}
        with transaction.atomic():
            Subscription.objects.filter(expired_q(), email__iexact=email).delete()
            subscription = Subscription.objects.filter(email__iexact=email, **key).first()
            if subscription is None:
                try:
                    with transaction.atomic():
                        subscription = Subscription.objects.create(email=email, frequency=data["frequency"], **key)
                except IntegrityError:  # the same form sent twice at once: the other request made it
                    subscription = Subscription.objects.get(email__iexact=email, **key)
            elif not subscription.is_confirmed:
                # A confirmed one keeps its frequency: a form anyone can post must not change what
                # someone else receives. Its owner changes it by unsubscribing and subscribing again.
                Subscription.objects.filter(pk=subscription.pk).update(frequency=data["frequency"])
            # At most one confirmation mail per RESEND_AFTER: the claim is one conditional update,
            # so two requests at once send one mail.
            now = timezone.now()
            due = Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=now - RESEND_AFTER)
            send = bool(Subscription.objects.filter(due, pk=subscription.pk).update(confirmation_sent_at=now))
        return subscription, send
