"""Factories for every model, in one place. Records are published and public unless a test says otherwise."""

import datetime

import factory
from factory.django import DjangoModelFactory

from cases import models as cases
from extraditions.models import PublicationStatus, Visibility
from sources import models as sources
from treaties import models as treaties


class PublishedFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    publication_status = PublicationStatus.PUBLISHED
    visibility = Visibility.PUBLIC


class SourceFactory(PublishedFactory):
    class Meta:
        model = sources.Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    kind = sources.SourceKind.NGO_REPORT
    title = factory.Sequence(lambda n: f"Report number {n}")
    publisher = "Safeguard Defenders"


class ReportedFigureFactory(PublishedFactory):
    class Meta:
        model = sources.ReportedFigure

    metric = sources.FigureMetric.RED_NOTICES_ISSUED
    year_from = 2019
    year_to = 2019
    value = 100
    unit = sources.FigureUnit.NOTICES


class TreatyFactory(PublishedFactory):
    class Meta:
        model = treaties.Treaty

    slug = factory.Sequence(lambda n: f"treaty-{n}")
    kind = treaties.TreatyKind.EXTRADITION
    counterpart = "SE"
    title = factory.Sequence(lambda n: f"Extradition treaty {n}")
    signed_on = datetime.date(2010, 5, 1)
    signed_on_precision = "day"


class PersonFactory(PublishedFactory):
    class Meta:
        model = cases.Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person {n}")
    visibility_decided = True


class AliasFactory(DjangoModelFactory):
    class Meta:
        model = cases.Alias

    person = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    kind = cases.AliasKind.SPELLING_VARIANT


class CaseFactory(PublishedFactory):
    class Meta:
        model = cases.Case

    slug = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"Case {n}")
    kind = cases.CaseKind.FORMAL_EXTRADITION
    host_country = "SE"


class CaseParticipantFactory(DjangoModelFactory):
    class Meta:
        model = cases.CaseParticipant

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)


class DetentionFactory(DjangoModelFactory):
    class Meta:
        model = cases.Detention

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory)
    started_on = datetime.date(2019, 2, 1)
    started_on_precision = "day"


class CaseEventFactory(DjangoModelFactory):
    class Meta:
        model = cases.CaseEvent

    case = factory.SubFactory(CaseFactory)
    occurred_on = datetime.date(2019, 2, 1)
    kind = cases.CaseEventKind.ARREST


class ExtraditionRequestFactory(DjangoModelFactory):
    class Meta:
        model = cases.ExtraditionRequest

    case = factory.SubFactory(CaseFactory)
    legal_basis = cases.LegalBasis.RECIPROCITY


class InterpolNoticeFactory(PublishedFactory):
    class Meta:
        model = cases.InterpolNotice

    kind = cases.NoticeKind.RED_NOTICE
    subject = factory.SubFactory(PersonFactory)


class LegalProvisionFactory(DjangoModelFactory):
    class Meta:
        model = cases.LegalProvision
        django_get_or_create = ("slug",)

    slug = "echr-3"
    instrument = cases.Instrument.ECHR
    article = "3"
    title = "Prohibition of torture"


class CourtRulingFactory(PublishedFactory):
    class Meta:
        model = cases.CourtRuling

    slug = factory.Sequence(lambda n: f"ruling-{n}")
    case = factory.SubFactory(CaseFactory)
    court = "Supreme Court of Sweden"
    country = "SE"
    level = cases.CourtLevel.SUPREME
    decision = cases.RulingDecision.EXTRADITION_REFUSED


class DiplomaticAssuranceFactory(DjangoModelFactory):
    class Meta:
        model = cases.DiplomaticAssurance

    case = factory.SubFactory(CaseFactory)
    giver = "Embassy of the PRC"
    promises_no_death_penalty = True


class BreachFactory(DjangoModelFactory):
    class Meta:
        model = cases.Breach

    kind = cases.BreachKind.CONSULAR_ACCESS_DENIED
    treaty = factory.SubFactory(TreatyFactory, kind=treaties.TreatyKind.CONSULAR)
    description = "Consular visits refused."


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = cases.Affiliation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")


class TreatyStepFactory(DjangoModelFactory):
    class Meta:
        model = treaties.TreatyStep

    treaty = factory.SubFactory(TreatyFactory)
    occurred_on = datetime.date(2011, 3, 1)
    occurred_on_precision = "day"
    kind = treaties.TreatyStepKind.PARLIAMENT_VOTE


class CitationFactory(DjangoModelFactory):
    class Meta:
        model = sources.Citation

    source = factory.SubFactory(SourceFactory)
    record = factory.SubFactory(CaseFactory)
    locator = factory.Sequence(lambda n: f"p. {n}")
    locator_kind = sources.LocatorKind.PAGE
