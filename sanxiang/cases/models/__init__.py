from sanxiang.cases.models.case import (
    AV_ADVISED_ACTS,
    AV_CITATION,
    AV_REQUIRED_ACTS,
    OPEN_STAGES,
    Act,
    Approval,
    Case,
    CollectiveDiscussion,
    Outcome,
    Preservation,
    Source,
    Stage,
    Suspension,
)
from sanxiang.cases.models.catalogue import (
    HEARING_KINDS,
    HEARING_KINDS_CITATION,
    DiscretionFactor,
    PenaltyKind,
    Violation,
    describe_penalty,
)
from sanxiang.cases.models.inspections import Inspection, InspectionOfficer, SignatureStatus
from sanxiang.cases.models.measures import CorrectionOrder, DailyPenalty, OnSitePenalty, ProductionMeasure, Seizure
from sanxiang.cases.models.parties import ORGANISATIONS, Party, PartyKind

__all__ = [
    "AV_ADVISED_ACTS", "AV_CITATION", "AV_REQUIRED_ACTS", "Act", "OPEN_STAGES", "HEARING_KINDS", "HEARING_KINDS_CITATION", "ORGANISATIONS", "Approval", "Case", "CollectiveDiscussion",
    "DiscretionFactor", "Inspection", "InspectionOfficer", "Outcome", "Party", "PartyKind", "PenaltyKind",
    "Preservation", "SignatureStatus", "Source", "Stage", "Suspension", "Violation", "CorrectionOrder",
    "DailyPenalty", "OnSitePenalty", "ProductionMeasure", "Seizure", "describe_penalty",
]
