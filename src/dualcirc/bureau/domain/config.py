"""What the operator maintains for every bureau: thresholds and time limits, country groups
("new markets"), routing rules for support cases and the list of support policies."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from dualcirc.bureau.domain.chains import validated
from dualcirc.bureau.enums import PolicyData, PolicyMode
from dualcirc.bureau.models import (
    BureauSettings,
    CountryGroup,
    RoutingRule,
    SupportPolicy,
    current_settings,
)
from dualcirc.core.access import can_edit_bureau_settings, require
from dualcirc.core.errors import FieldError, InvalidInput

SETTINGS_FIELDS = tuple(f.name for f in BureauSettings._meta.concrete_fields if not f.primary_key)
POLICY_FIELDS = ("title", "summary", "url", "industries", "min_employees", "max_employees",
                 "min_export_share", "max_export_share", "min_revenue", "min_exports",
                 "needs_data", "region", "mode", "amount", "currency", "active")  # fmt: skip
COUNTRY_GROUP_FIELDS = ("slug", "name_zh", "name_en", "name_vi", "countries", "is_new_market")
ROUTING_FIELDS = ("need_type", "level", "team", "departments")


def _set(instance: models.Model, fields: tuple[str, ...], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            value = data[name]
            setattr(instance, name, value.strip() if isinstance(value, str) else value)


def _check_range(errors: list[FieldError], low: str, high: str, instance: Any) -> None:
    a, b = getattr(instance, low), getattr(instance, high)
    if a is not None and b is not None and a > b:
        errors.append(FieldError(high, _("The upper bound is below the lower one.")))


def update_bureau_settings(*, actor: Any, **values: Any) -> BureauSettings:
    """Change the thresholds and time limits (operator). Percentages are 0–100; the smallest
    published group is at least 1 enterprise; a report falls due on day 1–28, reminders go
    0–27 days before; the jump threshold is 1–999 %. Side effects:
    saves the settings row; alerts change at their next refresh."""
    require(
        can_edit_bureau_settings(actor), _("Only the platform operator changes the thresholds.")
    )
    settings = current_settings()
    _set(settings, SETTINGS_FIELDS, values)
    errors: list[FieldError] = []
    for name in ("export_dependence_share", "export_orders_drop", "destination_share"):
        value = getattr(settings, name)
        if value is not None and not 0 <= value <= 100:
            errors.append(FieldError(name, _("Enter a percentage from 0 to 100.")))
    if not settings.min_group_size or settings.min_group_size < 1:
        errors.append(FieldError("min_group_size", _("Enter at least 1.")))
    if not 1 <= (settings.report_due_day or 0) <= 28:
        errors.append(FieldError("report_due_day", _("Enter a day from 1 to 28.")))
    if not 1 <= (settings.jump_threshold or 0) <= 999:
        errors.append(FieldError("jump_threshold", _("Enter a percentage from 1 to 999.")))
    if not 0 <= (settings.remind_days_before or 0) <= 27:
        errors.append(FieldError("remind_days_before", _("Enter a number of days from 0 to 27.")))
    if errors:
        raise InvalidInput(_("The input is not valid."), errors)
    validated(settings)
    settings.save()
    return settings


def save_policy(*, actor: Any, policy: SupportPolicy | None = None, **data: Any) -> SupportPolicy:
    """Add a support policy (``policy`` None) or change one (operator). Empty criteria mean
    "any"; ``needs_data`` names data the rule needs besides its criteria (``PolicyData``).

    Side effects: saves the policy; once the transaction commits, an active policy is matched
    against the enterprises of its region (``bureau.tasks.match_policy_task``), which notifies
    those that newly qualify."""
    require(can_edit_bureau_settings(actor), _("Only the platform operator maintains policies."))
    policy = policy or SupportPolicy()
    _set(policy, POLICY_FIELDS, data)
    errors: list[FieldError] = []
    _check_range(errors, "min_employees", "max_employees", policy)
    _check_range(errors, "min_export_share", "max_export_share", policy)
    policy.needs_data = [str(d).strip() for d in policy.needs_data or [] if str(d).strip()]
    unknown = [d for d in policy.needs_data if d not in PolicyData.values]
    if unknown:
        errors.append(FieldError("needs_data", _("Unknown data: %(names)s.")
                                 % {"names": ", ".join(unknown)}))  # fmt: skip
    for name in ("amount", "min_revenue", "min_exports"):
        value = getattr(policy, name)
        if value is not None and value < 0:
            errors.append(FieldError(name, _("Give an amount of zero or more.")))
    if errors:
        raise InvalidInput(_("The input is not valid."), errors)
    policy.currency = (policy.currency or "CNY").strip().upper()
    policy.mode = policy.mode or PolicyMode.CONFIRM
    validated(policy)
    policy.save()
    if policy.active:
        policy_id = policy.pk

        def enqueue() -> None:
            from dualcirc.bureau.tasks import match_policy_task

            match_policy_task.enqueue(policy_id)

        transaction.on_commit(enqueue, robust=True)
    return policy


def save_country_group(
    *, actor: Any, group: CountryGroup | None = None, **data: Any
) -> CountryGroup:
    """Add a country group (``group`` None) or change one (operator); codes are ISO 3166-1
    alpha-2, stored upper-case and sorted. Side effects: saves the group; indicators use it
    at once."""
    require(can_edit_bureau_settings(actor), _("Only the platform operator edits country groups."))
    group = group or CountryGroup()
    _set(group, COUNTRY_GROUP_FIELDS, data)
    group.countries = sorted(
        {str(c).strip().upper() for c in group.countries or [] if str(c).strip()}
    )
    validated(group)
    group.save()
    return group


def save_routing_rule(*, actor: Any, rule: RoutingRule | None = None, **data: Any) -> RoutingRule:
    """Add a routing rule (``rule`` None) or change one (operator). Side effects: saves the
    rule; cases received from then on are routed by it."""
    require(can_edit_bureau_settings(actor), _("Only the platform operator edits routing rules."))
    rule = rule or RoutingRule()
    _set(rule, ROUTING_FIELDS, data)
    rule.departments = [str(d).strip() for d in rule.departments or [] if str(d).strip()]
    validated(rule)
    rule.save()
    return rule


def delete_routing_rule(*, actor: Any, rule: RoutingRule) -> None:
    """Remove a routing rule (operator). Side effects: deletes it; cases keep their team."""
    require(can_edit_bureau_settings(actor), _("Only the platform operator edits routing rules."))
    rule.delete()
