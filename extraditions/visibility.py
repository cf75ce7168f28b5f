"""Who may see what: the one policy every channel calls (API, public site, search, CSV, exports,
sitemaps, feeds and the staff workspace). Nothing outside this module re-implements a piece of it.

- :func:`is_staff_session`: whether a request's user counts as staff — an active staff account
  that has passed the second factor wherever one is required. Everybody else is the public.
- Each model declares where its publication status lives (``visibility_paths``, see
  :class:`extraditions.models.BaseModel`); :func:`public_q` turns that declaration into a
  database condition and :func:`is_visible` evaluates the *same* condition on a record already in
  memory, so that the two cannot disagree. :func:`hide_invisible_links` applies it to every link
  of the records a page or an answer is about to show.
- :func:`original_name` and :func:`label`: a pseudonymous person's other names never reach the
  public, and a record's label shown to the public is its ``public_label``, never ``str()``.
- :func:`log_restricted_view` and :func:`log_restricted_among`: every time staff read a
  restricted record, on any channel (workspace, API, site), it is logged.

``docs/security.md`` states the policy and names the tests that prove each part.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .models import PublicationStatus, Visibility

# --- who is staff ---------------------------------------------------------------------------------


def second_factor_required(user) -> bool:
    """Administrators must pass a second factor; other staff must once they have set one up."""
    from django_otp import user_has_device

    from .roles import is_administrator

    return is_administrator(user) or user_has_device(user, confirmed=True)


def is_staff_session(user) -> bool:
    """Whether ``user`` (as authenticated on this request) sees and does what staff may.

    A session that has not passed a required second factor is not a staff session anywhere: the
    admin refuses it, and the API and the site treat it as the public. API tokens are issued to
    staff by administrators and count as having passed it (see extraditions/tokens.py).
    """
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    cached = getattr(user, "_staff_session", None)
    if cached is None:
        verified = getattr(user, "is_verified", None)
        cached = bool((callable(verified) and verified()) or not second_factor_required(user))
        user._staff_session = cached  # asked many times per request; the answer cannot change within it
    return cached


class _SystemReader:
    """Code that must look at every record whatever its visibility (e.g. looking for a duplicate
    before a person is created): never a request's user."""

    is_authenticated = is_active = is_staff = True
    _staff_session = True


SYSTEM = _SystemReader()


class _PublicReader:
    """The anonymous public, for code that asks "what may the public see of this?" outside a request."""

    is_authenticated = is_active = is_staff = False


PUBLIC = _PublicReader()


# --- the declaration, as a database condition -------------------------------------------------------


def carries_visibility(model) -> bool:
    """Whether some of ``model``'s records may be hidden from the public."""
    return bool(getattr(model, "visibility_paths", ()) or getattr(model, "visibility_generic_paths", ())) or (
        getattr(model, "public_condition", None) is not None
    )


def public_q(model, prefix: str = "") -> Q:
    """The condition for ``model``'s records the public may see; ``prefix`` reaches them through a relation.

    ``visibility_paths`` name where the publication status lives: ``""`` for the record itself,
    ``"case"`` for a detention only as visible as its case; ``"?person"`` for a link that may be
    empty (an empty link hides nothing). ``public_condition`` hides more than the status says
    (a pseudonymous person's other names).
    """
    condition = Q()
    for path in model.visibility_paths:
        optional = path.startswith("?")
        path = "__".join(part for part in (prefix, path.lstrip("?")) if part)
        lookup = f"{path}__" if path else ""
        published = Q(
            **{
                f"{lookup}publication_status": PublicationStatus.PUBLISHED,
                f"{lookup}visibility": Visibility.PUBLIC,
            }
        )
        condition &= (Q(**{f"{path}__isnull": True}) | published) if optional else published
    extra = getattr(model, "public_condition", None)
    if extra is not None:
        if prefix:
            raise ValueError(f"{model.__name__}.public_condition cannot be reached through a relation")
        condition &= extra
    return condition


def restricted_q(model) -> Q:
    """Records that are restricted, themselves or through the records they belong to."""
    condition = Q(pk__in=[])
    for path in model.visibility_paths:
        path = path.lstrip("?")
        condition |= Q(**{f"{path}__visibility" if path else "visibility": Visibility.RESTRICTED})
    return condition


def public_records(queryset):
    """``queryset`` narrowed to what the public may see: ``public_q``, and what a model's queryset
    adds to it in ``public()`` (a citation's generic record)."""
    return queryset.public() if hasattr(queryset, "public") else queryset.filter(public_q(queryset.model))


def visible_to(queryset, user):
    """``queryset`` narrowed to what ``user`` may see."""
    return queryset.all() if is_staff_session(user) else public_records(queryset)


# --- the same declaration, on records in memory -----------------------------------------------------


class UnsupportedLookup(ValueError):
    pass


def _resolve(obj, parts: list[str]):
    """Follow ``parts`` (field names) from ``obj``; returns (value, complete) — incomplete when a
    link on the way is empty."""
    value = obj
    for part in parts:
        if value is None:
            return None, False
        value = getattr(value, "pk" if part == "pk" else part)
    return value, True


def _lookup_matches(obj, lookup: str, expected) -> bool:
    *parts, last = lookup.split("__")
    if last not in ("exact", "isnull", "in"):
        parts, last = [*parts, last], "exact"
    field_value, complete = _resolve(obj, parts)
    if isinstance(field_value, models.Model):
        field_value = field_value.pk
    if last == "isnull":
        return (field_value is None) == bool(expected)
    if not complete:
        return False  # as in SQL: a comparison through an empty link is false
    if last == "in":
        return field_value in list(expected)
    return field_value == expected


def matches_in_memory(obj, condition: Q) -> bool:
    """Whether ``obj`` satisfies ``condition`` (exact, isnull and in lookups through forward links).

    Evaluates the very Q object the database is given, so that a check on a loaded record and the
    database's filter cannot disagree. Links not loaded yet are loaded (a query each); callers
    showing many records load them with the page (select_related).
    """
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(matches_in_memory(obj, child))
        else:
            lookup, expected = child
            results.append(_lookup_matches(obj, lookup, expected))
    if not results:
        result = True
    elif condition.connector == Q.OR:
        result = any(results)
    else:
        result = all(results)
    return not result if condition.negated else result


def is_public(obj) -> bool:
    """Whether the public may see ``obj``, judged from its own declaration (in memory)."""
    known = obj.__dict__.get("_visibility_public")
    if known is not None:
        return known  # checked in the database with the rest of its page (hide_invisible_links)
    model = type(obj)
    if not carries_visibility(model):
        return True
    if not matches_in_memory(obj, public_q(model)):
        return False
    return all(is_public(getattr(obj, name)) for name in getattr(model, "visibility_generic_paths", ()))


def is_visible(obj, user) -> bool:
    """Whether ``user`` may see ``obj``, a record already loaded (a related record to show)."""
    return is_staff_session(user) or not isinstance(obj, models.Model) or is_public(obj)


def _decided_by_itself(model) -> bool:
    return tuple(model.visibility_paths) == ("",) and getattr(model, "public_condition", None) is None and not getattr(
        model, "visibility_generic_paths", ()
    )


def _implied_links(model) -> set[str]:
    """Links whose target is visible whenever the record is: a one-step path to a record whose
    visibility is its own status."""
    implied = set()
    for path in model.visibility_paths:
        name = path.lstrip("?")
        if name and "__" not in name and _decided_by_itself(model._meta.get_field(name).related_model):
            implied.add(name)
    return implied


def hide_invisible_links(records, user) -> None:
    """Before showing ``records`` (which ``user`` may see): what was loaded with them is narrowed
    to what ``user`` may see too.

    Walks the records and what was loaded with them (select_related and prefetched lists). A
    link that is a visibility path needs no check (the record is visible, so is its target); any
    other link to a record that can be hidden, and every record of a prefetched list, is checked
    in the database — one query per model — by the same condition as ``visible_to``. A hidden
    link then reads as empty (``case.treaty`` is ``None``) and a hidden record leaves its list.
    Records checked are marked, so that a later :func:`is_visible` on them costs nothing.
    """
    if is_staff_session(user):
        return
    seen: set[int] = set()
    stack = [record for record in records if isinstance(record, models.Model)]
    while stack:
        links: dict[type, dict[int, list]] = {}  # model -> pk -> [(holder, field or list name, target)]
        while stack:
            obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            model = type(obj)
            implied = _implied_links(model)
            for field in model._meta.concrete_fields:
                if not (field.many_to_one or field.one_to_one) or not carries_visibility(field.related_model):
                    continue
                pk = getattr(obj, field.attname)
                if pk is None:
                    continue
                target = field.get_cached_value(obj) if field.is_cached(obj) else None
                if field.name in implied:
                    if target is not None:
                        target._visibility_public = True
                        stack.append(target)
                else:
                    links.setdefault(field.related_model, {}).setdefault(pk, []).append((obj, field, target))
            for name, related in list(getattr(obj, "_prefetched_objects_cache", {}).items()):
                for item in related:
                    if isinstance(item, models.Model):
                        if carries_visibility(type(item)):
                            links.setdefault(type(item), {}).setdefault(item.pk, []).append((obj, name, item))
                        else:
                            stack.append(item)
        hidden_items: dict[tuple, tuple] = {}  # (id(holder), list name) -> (holder, list name, ids of hidden items)
        for model, by_pk in links.items():
            rows = public_records(model._default_manager.filter(pk__in=list(by_pk)))
            public = set(rows.values_list("pk", flat=True))
            for pk, holders in by_pk.items():
                for holder, where, target in holders:
                    if target is not None:
                        target._visibility_public = pk in public
                    if pk in public:
                        if target is not None:
                            stack.append(target)
                    elif isinstance(where, str):
                        hidden_items.setdefault((id(holder), where), (holder, where, set()))[2].add(id(target))
                    else:
                        _hide_link(holder, where)
        for holder, name, hidden in hidden_items.values():
            related = holder._prefetched_objects_cache[name]
            related._result_cache = [item for item in related if id(item) not in hidden]


def _hide_link(obj, field) -> None:
    if not field.null:
        # A required link to a hidden record means the record itself should have been hidden by its
        # own visibility_paths: the declaration is incomplete (tests/extraditions/test_visibility.py).
        raise AssertionError(f"{type(obj).__name__}.{field.name} links to a hidden record but is not a visibility path")
    field.set_cached_value(obj, None)
    for name in link_details(type(obj), field.name):
        setattr(obj, name, type(obj)._meta.get_field(name).get_default())


def link_details(model, link: str) -> tuple[str, ...]:
    """The fields of ``model`` that describe its link ``link`` (``Model.link_details``: a ruling's
    ``review_outcome`` says what it did to the ruling it ``reviews``): hidden with the link, or
    "overturned" would tell the public that a hidden ruling exists."""
    return getattr(model, "link_details", {}).get(link, ())


def hide_link_details(model, record: dict) -> dict:
    """A record as an answer shows it (a dict of its fields): each hidden link's details emptied."""
    for link, details in getattr(model, "link_details", {}).items():
        if link in record and record[link] is None:
            for name in details:
                if name in record:
                    record[name] = model._meta.get_field(name).get_default()
    return record


# --- names and labels ---------------------------------------------------------------------------------


def original_name(person, user) -> str:
    """A person's name in its original script, unless a pseudonym protects them from this user."""
    if person.is_pseudonym and not is_staff_session(user):
        return ""
    return person.name_original


def label(obj, user) -> str:
    """How ``obj`` is named to ``user``: staff read ``str()``, the public its ``public_label``."""
    return str(obj) if is_staff_session(user) else obj.public_label


# --- the audit of restricted views --------------------------------------------------------------------


def is_restricted(record) -> bool:
    model = type(record)
    return bool(model.visibility_paths) and model._default_manager.filter(restricted_q(model), pk=record.pk).exists()


def log_restricted_view(request, record, channel: str) -> None:
    """Record that ``request.user`` viewed ``record``, if it is restricted."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RestrictedRecordView

    if record is not None and is_staff_session(request.user) and is_restricted(record):
        RestrictedRecordView.objects.create(
            user=request.user,
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=record.pk,
            record_label=str(record)[:300],
            channel=channel,
            path=request.get_full_path()[:500],
        )


def log_restricted_among(request, model, records, channel: str) -> None:
    """Record each restricted record among those a list showed ``request.user``."""
    from django.contrib.contenttypes.models import ContentType

    from .models import RestrictedRecordView

    pks = [record.pk for record in records]
    if not pks or not model.visibility_paths or not is_staff_session(request.user):
        return
    restricted = model._default_manager.filter(restricted_q(model), pk__in=pks).in_bulk()
    if restricted:
        content_type = ContentType.objects.get_for_model(model)
        path = request.get_full_path()[:500]
        RestrictedRecordView.objects.bulk_create(
            RestrictedRecordView(
                user=request.user, content_type=content_type, object_id=pk, record_label=str(record)[:300],
                channel=channel, path=path,
            )
            for pk, record in restricted.items()
        )
