"""The shapes sources, citations and reported figures are read in, for the API and the site (see
``cases/reads.py``)."""

from __future__ import annotations

from django.contrib.contenttypes.prefetch import GenericPrefetch

from .models import Citation, ReportedFigure, citable_models, listed_citations


def labelled_records(model):
    """A model's records with the related records their labels and pages need: a detention's person
    and case, a breached assurance's case."""
    foreign_keys = [f for f in model._meta.concrete_fields if f.many_to_one]
    related = [f.name for f in foreign_keys]
    related += [f"{f.name}__case" for f in foreign_keys if has_case(f.related_model)]
    return model.objects.select_related(*related) if related else model.objects.all()


def has_case(model) -> bool:
    return any(f.name == "case" and f.many_to_one for f in model._meta.concrete_fields)


def cited_records() -> GenericPrefetch:
    """The record each citation backs, labelled: one query per kind of record cited, however many citations."""
    return GenericPrefetch("record", [labelled_records(model) for model in citable_models().values()])


def citation_rows(citations, user):
    """The API's citations: source, and the record cited."""
    return citations.select_related("source", "content_type").prefetch_related(cited_records())


def source_page_citations(source, user):
    """On a source's page: every citation of it the reader may see, with the record it backs."""
    return (
        Citation.objects.visible_to(user)
        .filter(source=source)
        .select_related("content_type")
        .prefetch_related(cited_records())
        .order_by("content_type__model", "object_id", "locator")
    )


def figure_rows(figures, user):
    """The API's reported figures, with their sources."""
    return figures.prefetch_related(listed_citations(user))


def figures_page(user):
    """The figures page: every figure the reader may see with its sources, by metric and period."""
    return figure_rows(ReportedFigure.objects.visible_to(user), user).order_by("metric", "year_from", "as_of")
