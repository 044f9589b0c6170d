"""The bureau's models, one module per area."""

from dualcirc.bureau.models.alerts import Alert
from dualcirc.bureau.models.cases import (
    CaseEvent,
    ContactLogEntry,
    PolicyMatchingMonth,
    RoutingRule,
    SupportCase,
    SupportPolicy,
)
from dualcirc.bureau.models.chains import ChainLink, IndustrialChain
from dualcirc.bureau.models.config import BureauSettings, CountryGroup, current_settings
from dualcirc.bureau.models.figures import (
    DomesticSalesLine,
    ExportSalesLine,
    FiguresRevision,
    MonthlyFigures,
    ReportingReminder,
)
from dualcirc.bureau.models.projects import InvestmentProject, ProjectChange, ProjectCommitment
from dualcirc.bureau.models.rollups import YearlyFigures, YearlySales

__all__ = [
    "Alert",
    "BureauSettings",
    "CaseEvent",
    "ChainLink",
    "ContactLogEntry",
    "CountryGroup",
    "DomesticSalesLine",
    "ExportSalesLine",
    "FiguresRevision",
    "IndustrialChain",
    "InvestmentProject",
    "MonthlyFigures",
    "PolicyMatchingMonth",
    "ProjectChange",
    "ProjectCommitment",
    "ReportingReminder",
    "RoutingRule",
    "SupportCase",
    "SupportPolicy",
    "YearlyFigures",
    "YearlySales",
    "current_settings",
]
