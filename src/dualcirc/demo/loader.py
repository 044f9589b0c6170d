"""Write the demo data into the database: idempotent, and validated like any other write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.test.utils import override_settings
from django.utils import timezone

from dualcirc.bureau.policy_demo import stage_policy_demo
from dualcirc.catalog.domain import check_product
from dualcirc.catalog.enums import ProductStatus
from dualcirc.catalog.models import Enterprise, IndustrialBelt, Product
from dualcirc.catalog.signals import products_changed
from dualcirc.core.enums import OrganisationKind
from dualcirc.core.models import Membership, Organisation, Region, User
from dualcirc.demand.demo import generate_demo_signals
from dualcirc.demand.domain_alerts import raise_unmet_demand_alerts, send_weekly_digests
from dualcirc.demo.activity import ActivitySummary, load_activity
from dualcirc.demo.enterprises import ENTERPRISES
from dualcirc.demo.generate import enterprise_fields, product_rows
from dualcirc.demo.places import BELTS, LOGINS, ORGANISATIONS, REGIONS


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    organisation: str
    organisation_kind: str


@dataclass(frozen=True)
class DemoSummary:
    regions: int
    belts: int
    enterprises: int
    products: int
    drafts: int
    logins: tuple[DemoLogin, ...]
    figure_months: int = 0
    alerts: int = 0
    activity: ActivitySummary | None = None


def _validate(obj: Model, what: str, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:  # the vocabularies are wrong: name the row
        raise ValueError(f"demo {what} is not valid: {exc}") from exc


def _load_regions() -> dict[str, Region]:
    existing = {r.code: r for r in Region.objects.filter(code__in=[s.code for s in REGIONS])}
    regions: dict[str, Region] = {}
    for spec in REGIONS:  # parents come first, so each path is computed from a saved parent
        region = existing.get(spec.code) or Region(code=spec.code)
        region.name_zh, region.name_en, region.level = spec.name.zh, spec.name.en, spec.level
        region.parent = regions[spec.parent] if spec.parent else None
        _validate(region, f"region {spec.code}", exclude=["path"])
        region.save()
        regions[spec.code] = region
    return regions


def _load_belts(regions: dict[str, Region]) -> dict[str, IndustrialBelt]:
    belts: dict[str, IndustrialBelt] = {}
    for spec in BELTS:
        belt = IndustrialBelt.objects.filter(slug=spec.slug).first() or IndustrialBelt(
            slug=spec.slug
        )
        belt.name_zh, belt.name_en = spec.name.zh, spec.name.en
        belt.industry = f"{spec.industry.zh} / {spec.industry.en}"
        belt.region = regions[spec.region]
        _validate(belt, f"belt {spec.slug}")
        belt.save()
        belts[spec.slug] = belt
    return belts


def _load_organisations(regions: dict[str, Region]) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        org = Organisation.objects.filter(kind=spec.kind, name=spec.name).first() or (
            Organisation(kind=spec.kind, name=spec.name)
        )
        org.name_en, org.country, org.buyer_type = spec.name_en, spec.country, spec.buyer_type
        org.region = regions[spec.region] if spec.region else None
        _validate(org, f"organisation {spec.key}")
        org.save()
        organisations[spec.key] = org
    return organisations


def _load_enterprises(
    regions: dict[str, Region], belts: dict[str, IndustrialBelt]
) -> dict[str, Enterprise]:
    enterprises: dict[str, Enterprise] = {}
    for spec in ENTERPRISES:
        fields = enterprise_fields(spec)
        # By credit code, or by name if somebody edited the code since the last load.
        enterprise = (
            Enterprise.objects.select_related("organisation")
            .filter(
                Q(credit_code=fields["credit_code"])
                | Q(organisation__kind=OrganisationKind.ENTERPRISE, organisation__name=spec.name_zh)
            )
            .first()
        )
        org = enterprise.organisation if enterprise else Organisation()
        org.kind, org.name, org.name_en = OrganisationKind.ENTERPRISE, spec.name_zh, spec.name_en
        org.country, org.region = "CN", regions[spec.region]
        _validate(org, f"organisation of {spec.key}")
        org.save()
        enterprise = enterprise or Enterprise(organisation=org)
        for name, value in fields.items():
            setattr(enterprise, name, value)
        enterprise.region, enterprise.belt = regions[spec.region], belts[spec.belt]
        _validate(enterprise, f"enterprise {spec.key}")
        enterprise.save()
        enterprises[spec.key] = enterprise
    return enterprises


def _load_products(enterprises: dict[str, Enterprise]) -> list[Product]:
    existing = {
        (p.enterprise_id, p.sku): p
        for p in Product.objects.filter(enterprise__in=list(enterprises.values()))
    }
    products = []
    for spec in ENTERPRISES:
        enterprise = enterprises[spec.key]
        for row in product_rows(spec, enterprise.export_markets):
            product = existing.get((enterprise.pk, row["sku"])) or Product(enterprise=enterprise)
            for name, value in row.items():
                setattr(product, name, value)
            errors = check_product(product)  # normalises, then full_clean and the price rules
            if errors:
                raise ValueError(f"demo product {row['sku']} is not valid: {errors}")
            product.save()
            products.append(product)
    return products


def _load_logins(
    organisations: dict[str, Organisation], enterprises: dict[str, Enterprise]
) -> tuple[DemoLogin, ...]:
    logins = []
    for spec in LOGINS:
        org = (
            organisations[spec.organisation]
            if spec.organisation in organisations
            else enterprises[spec.organisation].organisation
        )
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@demo.dualcirc.example"
        user.preferred_language, user.time_zone = spec.language, spec.time_zone
        user.is_active, user.is_staff, user.is_superuser = True, spec.staff, spec.staff
        if user.pk is None or not user.check_password(spec.password):
            user.set_password(spec.password)
        user.demo_password = user.password  # the mark production looks for (ops.demo_logins)
        _validate(user, f"user {spec.username}")
        user.save()
        Membership.objects.update_or_create(
            user=user, organisation=org, defaults={"role": spec.membership_role}
        )
        logins.append(DemoLogin(spec.role, spec.username, spec.password, org.name, org.kind))
    return tuple(logins)


def load_demo() -> DemoSummary:
    """Create the demo data, or bring it back to its demo values (see ``_load_demo``).

    No e-mail leaves: the demo's people are fictional, and the domain functions that play the
    demo's stories notify them by e-mail (the in-app notifications are kept).
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return _load_demo()


@transaction.atomic
def _load_demo() -> DemoSummary:
    """Create the demo data, or bring it back to its demo values.

    Rows are found by natural keys (region code, belt slug, organisation kind and name,
    enterprise credit code or name, product SKU within its enterprise, username), so loading
    twice leaves the same rows; rows that are not part of the demo are left alone, and demo
    rows edited since the last load get their demo values (and demo passwords) back. Every row
    is validated as the catalog validates it (``full_clean``, ``catalog.domain.check_product``).

    Then the activity (``demo.activity``): a live fair, deals, cases, chains and projects,
    played once through the apps' domain functions; loading again keeps them and moves the
    fair to the current days. Then a year of buyers' demand signals for the radar
    (``demand.demo``), written once.

    Side effect: after commit, ``catalog.signals.products_changed`` is sent once with the ids
    of all demo products (the search index listens).
    """
    regions = _load_regions()
    belts = _load_belts(regions)
    organisations = _load_organisations(regions)
    enterprises = _load_enterprises(regions, belts)
    products = _load_products(enterprises)
    logins = _load_logins(organisations, enterprises)
    figure_months, alerts = _load_bureau_figures(enterprises)
    users = {
        u.username: u for u in User.objects.filter(username__in=[lg.username for lg in logins])
    }
    _load_exchange_rates(users)
    activity = load_activity(
        enterprises=enterprises, organisations=organisations, belts=belts, users=users
    )
    generate_demo_signals(today=timezone.localdate())
    # Last: the rules read the figures, and the notifications go to every member made above.
    demo = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises.values()])
    stage_policy_demo(enterprises=demo)
    # What the radar's signals lead to (as `dualcirc periodic` does): the bureaus' unmet-demand
    # alerts and this week's digests, each raised once however often the demo is loaded.
    raise_unmet_demand_alerts(today=timezone.localdate())
    send_weekly_digests(today=timezone.localdate())
    ids = sorted(p.pk for p in products)
    transaction.on_commit(
        lambda: products_changed.send(sender=Product, product_ids=ids, deleted=False)
    )
    return DemoSummary(
        regions=len(regions),
        belts=len(belts),
        enterprises=len(enterprises),
        products=len(products),
        drafts=sum(p.status == ProductStatus.DRAFT for p in products),
        logins=logins,
        figure_months=figure_months,
        alerts=alerts,
        activity=activity,
    )


# Dong per yuan, as the operator would enter it: the ECB series has no VND, and Vietnamese
# viewers see prices in dong beside the listing's own (dualcirc.l10n).
DEMO_VND_PER_CNY = "3500"


def _load_exchange_rates(users: dict[str, User]) -> None:
    """The operator's VND rate, dated the ECB series' last day (so every load gives the same
    row); entered through ``deals.money.set_exchange_rate`` once, kept on later loads."""
    from dualcirc.deals.models import ExchangeRate
    from dualcirc.deals.money import set_exchange_rate
    from dualcirc.l10n.rates import OPERATOR, ecb_rate

    operator = users.get("operator")
    cny = ecb_rate("CNY", timezone.localdate())
    if operator is None or cny is None:
        return
    known = ExchangeRate.objects.filter(
        currency="VND", base="CNY", date=cny.date, source=OPERATOR, rate=DEMO_VND_PER_CNY
    )
    if not known.exists():
        set_exchange_rate(
            actor=operator, currency="VND", base="CNY", rate=DEMO_VND_PER_CNY, on=cny.date
        )


def _load_bureau_figures(enterprises: dict[str, Enterprise]) -> tuple[int, int]:
    """Two years of monthly figures per demo enterprise (months already there are kept) and the
    at-risk alerts of the last complete month, so the bureau's pages have something to show."""
    from dualcirc.bureau import indicators
    from dualcirc.bureau.demo import generate_demo_figures, stage_reporting_demo
    from dualcirc.bureau.domain.alerts import refresh_alerts

    demo = Enterprise.objects.filter(pk__in=[e.pk for e in enterprises.values()])
    written = generate_demo_figures(enterprises=demo)
    stage_reporting_demo(enterprises=demo)
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    alerts = refresh_alerts(month=indicators.month_index(last.year, last.month), enterprises=demo)
    return written, alerts
