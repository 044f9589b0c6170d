"""The bureau's enumerations: sales channels, export modes, alert levels, case/project states,
support policies and their delivery to enterprises.

A policy's rule names the data it needs (:class:`PolicyData`); the platform holds only
:data:`PLATFORM_DATA`, so a rule that needs anything else cannot be matched here and its page
says which data is missing.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DomesticChannel(models.TextChoices):
    OFFLINE_WHOLESALE = "offline_wholesale", _("Offline wholesale")
    TMALL = "tmall", _("Tmall")
    TAOBAO = "taobao", _("Taobao")
    JD = "jd", _("JD.com")
    ALIBABA_1688 = "1688", _("1688.com")
    DOUYIN = "douyin", _("Douyin")
    OTHER_ECOMMERCE = "other_ecommerce", _("Other e-commerce platforms")
    OTHER = "other", _("Other domestic sales")


ECOMMERCE_CHANNELS = frozenset(
    {
        DomesticChannel.TMALL,
        DomesticChannel.TAOBAO,
        DomesticChannel.JD,
        DomesticChannel.ALIBABA_1688,
        DomesticChannel.DOUYIN,
        DomesticChannel.OTHER_ECOMMERCE,
    }
)


class ExportMode(models.TextChoices):
    GENERAL_TRADE = "general_trade", _("General trade")
    PROCESSING_TRADE = "processing_trade", _("Processing trade")
    CROSS_BORDER_ECOMMERCE = "cross_border_ecommerce", _("Cross-border e-commerce")


class FiguresSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Spreadsheet import")
    API = "api", _("API")
    DEMO = "demo", _("Demo data")


class FiguresStatus(models.TextChoices):
    """Where a month's report stands in the bureau's review (``domain.reporting``)."""

    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


class FiguresEvent(models.TextChoices):
    """What a FiguresRevision records: new or changed values, or a step of the review."""

    SUBMITTED = "submitted", _("Submitted")
    CORRECTED = "corrected", _("Corrected")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted")


# The review's allowed moves; a correction by the enterprise moves returned/accepted months
# to resubmitted (``domain.figures.submit_figures``).
FIGURES_REVIEW_MOVES: dict[str, tuple[str, ...]] = {
    FiguresStatus.SUBMITTED: (FiguresStatus.RETURNED, FiguresStatus.ACCEPTED),
    FiguresStatus.RESUBMITTED: (FiguresStatus.RETURNED, FiguresStatus.ACCEPTED),
    FiguresStatus.RETURNED: (),
    FiguresStatus.ACCEPTED: (FiguresStatus.RETURNED,),
}


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YTD = "ytd", _("Year to date")
    TTM = "ttm", _("Trailing 12 months")


class ScopeKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    BELT = "belt", _("Industrial belt")
    INDUSTRY = "industry", _("Industry")
    REGION = "region", _("Region")
    CHAIN = "chain", _("Industrial chain")


class AlertLevel(models.TextChoices):
    """Early-warning colours, least to most serious."""

    GREEN = "green", _("Green")
    BLUE = "blue", _("Blue")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Red")


LEVEL_RANK = {
    AlertLevel.GREEN: 0,
    AlertLevel.BLUE: 1,
    AlertLevel.ORANGE: 2,
    AlertLevel.RED: 3,
}


class AlertReason(models.TextChoices):
    EXPORT_ORDERS_DROP = "export_orders_drop", _("Export-dependent and export orders falling")
    DESTINATION_CONCENTRATION = "destination_concentration", _("One destination dominates")
    FALLING_ORDERS = "falling_orders", _("Orders falling month after month")
    MISSING_REPORT = "missing_report", _("Monthly report missing")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_CASE = "in_case", _("Support case opened")
    CLEARED = "cleared", _("Cleared")


class ChainStage(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class NeedType(models.TextChoices):
    DOMESTIC_CHANNEL = "domestic_channel", _("New domestic sales channel")
    EXPORT_MARKET = "export_market", _("New export market")
    CERTIFICATION = "certification", _("Certification")
    FINANCING = "financing", _("Financing")
    LOGISTICS = "logistics", _("Logistics")
    TALENT = "talent", _("Talent")
    OTHER = "other", _("Other")


class CaseSource(models.TextChoices):
    VISIT = "visit", _("Visit")
    ALERT = "alert", _("At-risk alert")
    ENTERPRISE = "enterprise", _("The enterprise itself")
    API = "api", _("API")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    HANDLING = "handling", _("Being handled")
    FEEDBACK = "feedback", _("Feedback given")
    CLOSED = "closed", _("Closed")


# The one table of allowed moves of a support case (bureau.domain.cases.move_case).
CASE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseStatus.RECEIVED: (CaseStatus.ASSIGNED, CaseStatus.CLOSED),
    CaseStatus.ASSIGNED: (CaseStatus.HANDLING, CaseStatus.ASSIGNED),
    CaseStatus.HANDLING: (CaseStatus.FEEDBACK,),
    CaseStatus.FEEDBACK: (CaseStatus.CLOSED, CaseStatus.HANDLING),
    CaseStatus.CLOSED: (),
}


class ContactKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Phone call")
    MESSAGE = "message", _("Message")
    MEETING = "meeting", _("Meeting")


class ProjectStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    DROPPED = "dropped", _("Dropped")


PROJECT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ProjectStage.LEAD: (ProjectStage.NEGOTIATING, ProjectStage.DROPPED),
    ProjectStage.NEGOTIATING: (ProjectStage.SIGNED, ProjectStage.LEAD, ProjectStage.DROPPED),
    ProjectStage.SIGNED: (ProjectStage.UNDER_CONSTRUCTION, ProjectStage.DROPPED),
    ProjectStage.UNDER_CONSTRUCTION: (ProjectStage.OPERATING, ProjectStage.DROPPED),
    ProjectStage.OPERATING: (),
    ProjectStage.DROPPED: (ProjectStage.LEAD,),
}


class SalesKind(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic sales")
    EXPORT = "export", _("Exports")


class PolicyMode(models.TextChoices):
    """How an enterprise receives a policy: 免申即享 (granted without applying) or after it
    confirms (a declaration, an account to pay into)."""

    AUTOMATIC = "automatic", _("No application needed")
    CONFIRM = "confirm", _("Confirmation required")


class PolicyData(models.TextChoices):
    """Data a policy's rule may need, whether or not the platform holds it."""

    INDUSTRIES = "industries", _("Industry")
    EMPLOYEES = "employees", _("Employees")
    EXPORT_SHARE = "export_share", _("Export share")
    REGION = "region", _("Region")
    REVENUE_12M = "revenue_12m", _("Revenue over the last 12 months")
    EXPORTS_12M = "exports_12m", _("Exports over the last 12 months")
    RD_SPENDING = "rd_spending", _("R&D spending")
    TAX_PAID = "tax_paid", _("Tax paid")
    HIGH_TECH = "high_tech", _("High-tech enterprise certificate")
    PATENTS = "patents", _("Patents")
    INSURED_STAFF = "insured_staff", _("Staff with social insurance")


# What the platform knows of every enterprise: its profile and its monthly figures.
PLATFORM_DATA = frozenset(
    {
        PolicyData.INDUSTRIES,
        PolicyData.EMPLOYEES,
        PolicyData.EXPORT_SHARE,
        PolicyData.REGION,
        PolicyData.REVENUE_12M,
        PolicyData.EXPORTS_12M,
    }
)


class DeliveryState(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOTIFIED = "notified", _("Notified")
    CONFIRMED = "confirmed", _("Confirmed")
    PAID = "paid", _("Paid")


# The one table of allowed moves of a policy delivery (bureau.domain.policies._move). Whether
# a move needs the enterprise's confirmation first depends on the policy's mode (the domain).
DELIVERY_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DeliveryState.ELIGIBLE: (DeliveryState.NOTIFIED, DeliveryState.CONFIRMED, DeliveryState.PAID),
    DeliveryState.NOTIFIED: (DeliveryState.CONFIRMED, DeliveryState.PAID),
    DeliveryState.CONFIRMED: (DeliveryState.PAID,),
    DeliveryState.PAID: (),
}
