"""The import of one table: every row checked (reading the database a few times), then the
valid rows written in bulk. Called by :func:`dualcirc.catalog.importing.import_catalog`."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualcirc.catalog.domain import PRODUCT_FIELDS, check_product
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.import_format import (
    PRODUCT_COLUMNS,
    TITLE_COLUMNS,
    ColumnMap,
    Table,
    file_error,
    parse_product_cells,
)
from dualcirc.catalog.import_places import PlaceDirectory
from dualcirc.catalog.importing.divisions import locate_new_enterprise
from dualcirc.catalog.importing.enterprises import (
    EnterpriseIndex,
    Identity,
    Target,
    chunks,
    load_enterprises,
    matches,
)
from dualcirc.catalog.importing.report import (
    BATCH_SIZE,
    PROGRESS_EVERY,
    ImportReport,
    Progress,
)
from dualcirc.catalog.models import Enterprise, Product
from dualcirc.catalog.signals import products_changed
from dualcirc.core.access import administered_enterprises, can_create_enterprise, is_operator
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.errors import FieldError
from dualcirc.core.models import Organisation, Region

ENTERPRISE_COLUMNS = ("enterprise", "enterprise_en", "credit_code")
COMPARED_FIELDS = (*PRODUCT_FIELDS, "languages")


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    ident: Identity
    target: Target | None = None
    product: Product | None = None
    action: str = ""  # "create" | "update" | "unchanged"
    changed_fields: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    held: bool = False  # valid, but its new enterprise's region is unknown: kept to confirm
    values: list[str] = field(default_factory=list)  # the row as read, to keep it when held


class Importer:
    """Checks every row (reading the database a few times), then writes the valid ones."""

    def __init__(
        self,
        *,
        actor: Any,
        table: Table,
        columns: ColumnMap,
        enterprise: Enterprise | None,
        progress: Progress | None = None,
        regions: Mapping[str, str] | None = None,
    ) -> None:
        """``regions``: GB/T 2260 division codes the operator confirmed for new enterprises,
        by :attr:`Target.key` (catalog.importing.held)."""
        self.actor = actor
        self.confirmed = dict(regions or {})
        self.progress = progress
        self.columns = columns
        self.chosen = enterprise
        self.may_create = enterprise is None and can_create_enterprise(actor)
        self.index = EnterpriseIndex()
        self.targets: dict[int, Target] = {}  # existing enterprises, by pk
        self.default: Target | None = None
        self.report = ImportReport(rows=len(table.rows))
        self.report.warnings = [
            _("Column %(name)r is ignored.") % {"name": name} for name in columns.ignored
        ]
        self.product_columns = [c for c in PRODUCT_COLUMNS if columns.has(c)]
        self.rows: list[Row] = []
        for number, values in table.rows:
            cells = {c: (values[i] if i < len(values) else "") for c, i in columns.index.items()}
            self.rows.append(
                Row(number=number, cells=cells, ident=self._identity(cells), values=values)
            )
        self._cleaned: dict[tuple[str, str], str] = {}

    @staticmethod
    def _identity(cells: dict[str, str]) -> Identity:
        code = unicodedata.normalize("NFKC", cells.get("credit_code", "")).strip().upper()
        return Identity(
            credit_code=code,
            name_zh=cells.get("enterprise", ""),
            name_en=cells.get("enterprise_en", ""),
        )

    # Errors

    def label(self, column: str) -> str:
        """How the file names ``column`` (a canonical column or a Product field)."""
        if column == "title":
            return " / ".join(self.columns.label[c] for c in TITLE_COLUMNS if self.columns.has(c))
        if column in ("price_min", "price_max") and self.columns.has("price"):
            return self.columns.label["price"]
        return self.columns.label.get(column, column)

    def error(self, row: Row, column: str, message: str) -> None:
        row.errors.append(FieldError(field=self.label(column), message=message, row=row.number))

    def _check_model_field(
        self, row: Row, column: str, model: type[Any], name: str, value: str
    ) -> bool:
        """Run the model field's own validators (length, credit code checksum) on a cell."""
        key = (f"{model.__name__}.{name}", value)
        if key not in self._cleaned:
            try:
                model._meta.get_field(name).clean(value, None)
                self._cleaned[key] = ""
            except ValidationError as exc:
                self._cleaned[key] = " ".join(exc.messages)
        if self._cleaned[key]:
            self.error(row, column, self._cleaned[key])
            return False
        return True

    # Enterprises

    def _existing(self, enterprise: Enterprise) -> Target:
        target = self.targets.get(enterprise.pk)
        if target is None:
            target = Target(enterprise=enterprise, is_new=False)
            self.targets[enterprise.pk] = target
            self.index.add(target)
        return target

    def _prepare_enterprises(self) -> None:
        has_columns = any(self.columns.has(c) for c in ENTERPRISE_COLUMNS)
        if self.chosen is not None:
            self.default = self._existing(self.chosen)
        elif is_operator(self.actor):
            if not has_columns:
                raise file_error(
                    _(
                        "The file has no enterprise column: add one (enterprise, 企业名称) or "
                        "choose the enterprise to import into."
                    )
                )
            for e in load_enterprises(row.ident for row in self.rows if row.ident):
                self._existing(e)
        else:
            administered = list(administered_enterprises(self.actor, Enterprise.objects.all()))
            for e in administered:
                self._existing(e)
            if len(administered) == 1:
                self.default = self.targets[administered[0].pk]
            elif not has_columns:
                raise file_error(
                    _("You administer several enterprises: choose the one to import into.")
                )

    def _resolve(self, row: Row) -> None:
        ident = row.ident
        checks = (
            ("credit_code", "credit_code", ident.credit_code),
            ("enterprise", "name_zh", ident.name_zh),
            ("enterprise_en", "name_en", ident.name_en),
        )
        if not all([self._check_model_field(row, c, Enterprise, f, v) for c, f, v in checks if v]):
            return
        if not ident:
            if self.default is None:
                self.error(row, "enterprise", _("Name the enterprise of this product."))
            row.target = self.default
        elif self.chosen is not None:
            assert self.default is not None
            if matches(self.default.enterprise, ident):
                row.target = self.default
            else:
                chosen = self.default.enterprise.display_name
                self.error(
                    row,
                    "enterprise",
                    _(
                        "This row names %(name)r, not the enterprise chosen for the import: "
                        "%(chosen)s."
                    )
                    % {"name": ident.describe(), "chosen": chosen},
                )
        else:
            row.target = self.index.find(ident)
            if row.target is None and self.may_create:
                row.target = self._new_target(row, ident)
            elif row.target is None:
                self.error(
                    row,
                    "enterprise",
                    _("You may import only into your own enterprise; this row names %(name)r.")
                    % {"name": ident.describe()},
                )
        if row.target is not None and row.target.is_new:
            for column in ("province", "city"):
                value = row.cells.get(column, "")
                if (
                    value
                    and self._check_model_field(row, column, Region, "name_zh", value)
                    and not getattr(row.target, column)
                ):
                    setattr(row.target, column, value)

    def _new_target(self, row: Row, ident: Identity) -> Target | None:
        if not (ident.name_zh or ident.name_en):
            self.error(row, "enterprise", _("A new enterprise needs a name."))
            return None
        enterprise = Enterprise(
            name_zh=ident.name_zh, name_en=ident.name_en, credit_code=ident.credit_code or None
        )
        target = Target(enterprise=enterprise, is_new=True)
        confirmed = self.confirmed.get(target.key, "")
        if confirmed:
            target.division, target.division_source = confirmed, "confirmed"
        self.index.add(target)
        return target

    # Products

    def _prefetch_products(self) -> None:
        """The products of every existing enterprise the file names: a query per 500."""
        for chunk in chunks(sorted(self.targets)):
            for product in Product.objects.filter(enterprise_id__in=chunk):
                self.targets[product.enterprise_id].products[product.sku] = product

    def _check_product(self, row: Row, seen: dict[tuple[int, str], int]) -> None:
        values, bad = parse_product_cells({c: row.cells[c] for c in self.product_columns})
        for column, message in bad.items():
            self.error(row, column, message)
        target = row.target
        sku = values.get("sku", "")
        existing = target.products.get(sku) if target is not None and sku else None
        merged = {f: getattr(existing, f) for f in PRODUCT_FIELDS} if existing else {}
        merged.update(values)
        merged.setdefault("status", ProductStatus.PUBLISHED)
        # Checked without its enterprise: setting it would cost a query per row (the foreign
        # key's validation), and a new enterprise has no id yet. Errors about cells already
        # reported as unreadable are not repeated.
        candidate = Product(**merged)
        for error in check_product(candidate, row=row.number, exclude=("enterprise",)):
            column = error.field or ""
            if column in ("price_min", "price_max") and self.columns.has("price"):
                column = "price"
            if column in bad:
                continue
            self.error(row, column, error.message)
        if target is not None and sku:
            first = seen.setdefault((id(target), sku), row.number)
            if first != row.number:
                self.error(
                    row,
                    "sku",
                    _("SKU %(sku)r is given twice in the file: rows %(first)d and %(row)d.")
                    % {"sku": sku, "first": first, "row": row.number},
                )
        if row.errors or target is None:
            return
        if existing is None:
            row.product, row.action = candidate, "create"
            return
        row.changed_fields = [
            f for f in COMPARED_FIELDS if getattr(candidate, f) != getattr(existing, f)
        ]
        for f in row.changed_fields:
            setattr(existing, f, getattr(candidate, f))
        row.product = existing
        row.action = "update" if row.changed_fields else "unchanged"

    def writable(self) -> list[Row]:
        """The rows written now: valid, with an enterprise, not held for its region."""
        return [r for r in self.rows if not r.errors and r.target is not None and not r.held]

    def held(self) -> list[Row]:
        """Valid rows whose new enterprise's region neither cells, credit code nor name give."""
        return [r for r in self.rows if r.held and not r.errors]

    def check(self) -> None:
        """Find every row's enterprise and product and every problem; writes nothing."""
        self._prepare_enterprises()
        for row in self.rows:
            self._resolve(row)
        for row in self.rows:
            t = row.target
            if t is not None and t.is_new and not (t.province or t.city) and not row.errors:
                row.held = not locate_new_enterprise(t)
                if row.held and getattr(self.actor, "pk", None) is None:
                    # the platform itself (the CLI without --user) has no job to hold rows in
                    row.held = False
                    self.error(
                        row,
                        "province",
                        _(
                            "Neither the credit code nor the name says where this new "
                            "enterprise is: give its province or city."
                        ),
                    )
        self._prefetch_products()
        seen: dict[tuple[int, str], int] = {}
        total = len(self.rows)
        for done, row in enumerate(self.rows, start=1):
            self._check_product(row, seen)
            if done % PROGRESS_EVERY == 0 or done == total:
                self.tell("checked", done, total)
        self.report.set_errors([e for row in self.rows for e in row.errors])

    def tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    # Writing

    def write(self) -> None:
        """Write the valid rows; call inside a transaction."""
        valid = self.writable()
        now = timezone.now()
        places = PlaceDirectory()
        targets: dict[int, Target] = {}
        industries: dict[int, list[str]] = {}
        for row in valid:
            assert row.target is not None
            targets.setdefault(id(row.target), row.target)
            industry = row.cells.get("industry", "")
            found = industries.setdefault(id(row.target), [])
            if industry and industry not in found:
                found.append(industry)
        new = [t for t in targets.values() if t.is_new]
        self._create_enterprises(new, industries, places)
        renamed = self._update_enterprises(valid, industries, places, now)

        to_create: list[Product] = []
        for row in valid:
            if row.action == "create":
                assert row.product is not None and row.target is not None
                row.product.enterprise = row.target.enterprise
                to_create.append(row.product)
        total = len(valid)
        for start in range(0, len(to_create), BATCH_SIZE):
            Product.objects.bulk_create(to_create[start : start + BATCH_SIZE])
            self.tell("written", min(start + BATCH_SIZE, len(to_create)), total)

        to_update = [row for row in valid if row.action == "update"]
        fields = sorted({f for row in to_update for f in row.changed_fields})
        updated: list[Product] = []
        for row in to_update:
            assert row.product is not None
            row.product.updated_at = now
            updated.append(row.product)
        written = len(to_create)
        for chunk in chunks(updated, BATCH_SIZE):
            Product.objects.bulk_update(chunk, [*fields, "updated_at"])
            written += len(chunk)
            self.tell("written", written, total)

        ids = {p.pk for p in to_create} | {p.pk for p in updated}
        if renamed:
            ids |= set(
                Product.objects.filter(enterprise_id__in=renamed).values_list("pk", flat=True)
            )
        product_ids = sorted(ids)
        if product_ids:
            transaction.on_commit(
                lambda: products_changed.send(
                    sender=Product, product_ids=product_ids, deleted=False
                )
            )
        r = self.report
        r.created, r.updated = len(to_create), len(updated)
        r.unchanged = sum(1 for row in valid if row.action == "unchanged")
        r.enterprises_created = len(new)
        r.written = True

    def _create_enterprises(
        self, targets: list[Target], industries: dict[int, list[str]], places: PlaceDirectory
    ) -> None:
        organisations = []
        for t in targets:
            e = t.enterprise
            if t.province or t.city:
                e.region = places.locate(province=t.province, city=t.city)
            else:
                e.region = places.division(t.division)
            e.industries = industries[id(t)]
            if e.industries:
                e.belt = places.belt(e.region, e.industries[0])
            organisations.append(
                Organisation(
                    kind=OrganisationKind.ENTERPRISE,
                    name=e.name_zh or e.name_en,
                    name_en=e.name_en,
                    region=e.region,
                )
            )
        Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
        for t, organisation in zip(targets, organisations, strict=True):
            t.enterprise.organisation = organisation
        Enterprise.objects.bulk_create([t.enterprise for t in targets], batch_size=BATCH_SIZE)

    def _update_enterprises(
        self,
        valid: list[Row],
        industries: dict[int, list[str]],
        places: PlaceDirectory,
        now: datetime,
    ) -> list[int]:
        """Apply the valid rows' enterprise cells to existing enterprises; return renamed ids.

        Cells fill in or replace the credit code and names (the last row wins); industries are
        added; a belt is set where the enterprise has none. The region is never changed.
        """
        changes: dict[int, set[str]] = {}
        for row in valid:
            t = row.target
            assert t is not None
            if t.is_new:
                continue
            e = t.enterprise
            fields = changes.setdefault(id(t), set())
            for attr in ("credit_code", "name_zh", "name_en"):
                value = getattr(row.ident, attr)
                if value and getattr(e, attr) != value:
                    setattr(e, attr, value)
                    fields.add(attr)
        changed: list[Enterprise] = []
        all_fields: set[str] = set()
        renamed: list[int] = []
        for t in {id(row.target): row.target for row in valid if row.target}.values():
            if t.is_new:
                continue
            e = t.enterprise
            fields = changes[id(t)]
            added = [i for i in industries[id(t)] if i not in e.industries]
            if added:
                e.industries = [*e.industries, *added]
                fields.add("industries")
            if e.belt_id is None and industries[id(t)]:
                e.belt = places.belt(e.region, industries[id(t)][0])
                fields.add("belt")
            if fields:
                e.updated_at = now
                changed.append(e)
                all_fields |= fields
                if fields & {"name_zh", "name_en"}:
                    renamed.append(e.pk)
        if changed:
            Enterprise.objects.bulk_update(changed, [*sorted(all_fields), "updated_at"])
        self.report.enterprises_updated = len(changed)
        return renamed
