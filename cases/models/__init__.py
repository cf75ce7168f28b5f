"""The cases app's models, one module per concept."""

from .assurances import AssuranceCompliance, Breach, BreachKind, DiplomaticAssurance
from .cases import (
    Aftermath,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseKind,
    CaseOutcome,
    CaseParticipant,
    ChargeCategory,
    Detention,
    ExtraditionRequest,
    LegalBasis,
    ParticipantRole,
    RequestDecision,
)
from .interpol import CancellationReason, InterpolNotice, NoticeKind, NoticeStatus
from .persons import (
    Affiliation,
    Alias,
    AliasKind,
    AsylumStatus,
    CurrentSituation,
    Person,
    PersonName,
    Script,
)
from .rulings import (
    AssuranceAssessment,
    CourtLevel,
    CourtRuling,
    Instrument,
    LegalProvision,
    ReviewOutcome,
    RulingDecision,
)

__all__ = [
    "Affiliation", "Aftermath", "Alias", "AliasKind", "AssuranceAssessment", "AssuranceCompliance",
    "AsylumStatus", "Breach", "BreachKind", "CancellationReason", "Case", "CaseEvent", "CaseEventKind",
    "CaseKind", "CaseOutcome", "CaseParticipant", "ChargeCategory", "CourtLevel", "CourtRuling",
    "CurrentSituation", "Detention", "DiplomaticAssurance", "ExtraditionRequest", "Instrument",
    "InterpolNotice", "LegalBasis", "LegalProvision", "NoticeKind", "NoticeStatus", "ParticipantRole",
    "Person", "PersonName", "RequestDecision", "ReviewOutcome", "RulingDecision", "Script",
]
