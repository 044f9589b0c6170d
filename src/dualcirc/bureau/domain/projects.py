"""Investment projects: the attraction pipeline, with a history of every change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.bureau.enums import PROJECT_TRANSITIONS, ProjectStage
from dualcirc.bureau.models import ChainLink, InvestmentProject, ProjectChange, ProjectCommitment
from dualcirc.catalog.enums import CURRENCIES
from dualcirc.core.access import can_manage_in_region, require
from dualcirc.core.errors import Conflict, FieldError, InvalidInput
from dualcirc.core.models import Region

PROJECT_FIELDS = ("name", "investor", "amount", "currency", "chain_link", "official",
                  "description")  # fmt: skip


def _check(data: dict[str, Any]) -> None:
    errors = []
    for name in ("name", "investor"):
        if name in data and not str(data[name]).strip():
            errors.append(FieldError(name, _("This field is required.")))
    amount = data.get("amount")
    if "amount" in data and (not isinstance(amount, Decimal) or amount < 0):
        errors.append(FieldError("amount", _("Enter an amount from 0 up.")))
    if "currency" in data and data["currency"] not in CURRENCIES:
        errors.append(FieldError("currency", _("Unknown currency.")))
    link = data.get("chain_link")
    if link is not None and not isinstance(link, ChainLink):
        errors.append(FieldError("chain_link", _("Unknown chain link.")))
    if errors:
        raise InvalidInput(_("The input is not valid."), errors)
    if "amount" in data:  # as stored, so that 5000000 and 5000000.00 are no change
        data["amount"] = data["amount"].quantize(Decimal("0.01"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, ChainLink):
        return str(value.pk)
    return str(value)


def create_project(
    *, actor: Any, region: Region, commitments: dict[str, str] | None = None, **data: Any
) -> InvestmentProject:
    """Record a project lead in ``region``. Side effects: the project, its departments'
    commitments and a first ProjectChange."""
    require(can_manage_in_region(actor, region))
    data = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    for required in ("name", "investor", "amount"):
        data.setdefault(required, "")
    _check(data)
    with transaction.atomic():
        project = InvestmentProject.objects.create(region=region, **data)
        _set_commitments(project, commitments or {})
        ProjectChange.objects.create(
            project=project, at=timezone.now(), by=actor,
            changes={k: [None, _text(getattr(project, k))] for k in PROJECT_FIELDS}
            | {"stage": [None, project.stage]},
        )  # fmt: skip
    return project


def _set_commitments(project: InvestmentProject, commitments: dict[str, str]) -> None:
    project.commitments.all().delete()
    ProjectCommitment.objects.bulk_create(
        ProjectCommitment(project=project, department=d.strip(), commitment=c.strip())
        for d, c in commitments.items()
        if d.strip() and c.strip()
    )


def update_project(
    *,
    actor: Any,
    project: InvestmentProject,
    stage: str | None = None,
    note: str = "",
    commitments: dict[str, str] | None = None,
    **data: Any,
) -> InvestmentProject:
    """Change a project's fields and/or move its stage along PROJECT_TRANSITIONS.

    Side effects: saves the project and records one ProjectChange with each changed field
    (commitments included) before and after.
    """
    require(can_manage_in_region(actor, project.region))
    data = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    _check(data)
    changes: dict[str, list[str | None]] = {}
    for name, value in data.items():
        old = getattr(project, name)
        if _text(old) != _text(value):
            changes[name] = [_text(old), _text(value)]
            setattr(project, name, value)
    if stage is not None and stage != project.stage:
        if stage not in PROJECT_TRANSITIONS.get(project.stage, ()):
            raise Conflict(
                _("A project that is %(state)s cannot move to %(to)s.")
                % {"state": project.get_stage_display(), "to": stage}
            )
        changes["stage"] = [project.stage, stage]
        project.stage = stage
    with transaction.atomic():
        if commitments is not None:
            old_c = {c.department: c.commitment for c in project.commitments.all()}
            new_c = {d.strip(): c.strip() for d, c in commitments.items() if d.strip() and c}
            if old_c != new_c:
                changes["commitments"] = [
                    "; ".join(f"{d}: {c}" for d, c in sorted(old_c.items())) or None,
                    "; ".join(f"{d}: {c}" for d, c in sorted(new_c.items())) or None,
                ]
                _set_commitments(project, new_c)
        if not changes and not note.strip():
            return project
        project.save()
        ProjectChange.objects.create(
            project=project, at=timezone.now(), by=actor, changes=changes, note=note.strip()
        )
    return project


PIPELINE = [s for s in ProjectStage.values if s != ProjectStage.DROPPED]
