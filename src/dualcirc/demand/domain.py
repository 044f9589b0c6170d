"""Writers of the demand app: record signals, forget old ones, opt out.

Recording never breaks or slows the action it observes: each ``record_*`` function is one
insert in its own savepoint, and any failure is logged and swallowed (the search, request,
visit or meeting wish has already succeeded). Who is recorded:

- members of a buyer organisation (their organisation's salted hash counts them as a buyer);
- anonymous visitors' searches (volume only: no buyer key, so they never make up the
  3-buyer threshold);
- nobody else: enterprises, governments and operators searching are not demand, and a user
  who opted out (:class:`~dualcirc.demand.models.DemandOptOut`) is never recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, CharField, F, When
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dualcirc.core.enums import OrganisationKind
from dualcirc.demand.enums import SignalKind
from dualcirc.demand.models import DemandAsk, DemandMonth, DemandOptOut, DemandSignal

log = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 730
PRODUCT_TYPE_LENGTH = 80


def month_of(day: date) -> int:
    """``bureau.indicators.month_index`` of ``day`` (kept here: the demand app needs no bureau)."""
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    """``2026-11`` for the :func:`month_of` index of November 2026 (what ``|local_month`` and
    the CSV export read)."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def buyer_key(organisation_id: int) -> str:
    """A salted hash of a buyer organisation: equal for equal organisations, not reversible
    without the site's secret key (rotating the key starts new counts)."""
    return salted_hmac("dualcirc.demand.buyer", str(organisation_id)).hexdigest()[:16]


def normalise_product_type(terms: str) -> str:
    """The product words of a query as stored: lower case, single spaces, at most 80
    characters. Nothing else of the query text is kept."""
    return " ".join(terms.lower().split())[:PRODUCT_TYPE_LENGTH]


def _buyer_organisation(user: Any) -> tuple[bool, Any]:
    """(record?, buyer organisation or None) for ``user`` — see the module docstring."""
    if user is None or not getattr(user, "is_authenticated", False):
        return True, None
    memberships = list(user.memberships.select_related("organisation"))
    buyers = [m.organisation for m in memberships if m.organisation.kind == OrganisationKind.BUYER]
    if not buyers or is_opted_out(user):
        return False, None
    return True, buyers[0]


def is_opted_out(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return DemandOptOut.objects.filter(user_id=user.pk).exists()


def set_demand_opt_out(*, user: Any, opted_out: bool) -> bool:
    """Record (or stop recording) ``user``'s searches and requests as demand. Returns the new
    state. Side effects: a DemandOptOut row created or deleted. Signals already recorded stay
    (they do not point at the user, so they cannot be found to delete)."""
    if opted_out:
        DemandOptOut.objects.get_or_create(user=user)
    else:
        DemandOptOut.objects.filter(user=user).delete()
    return opted_out


def _insert(**fields: Any) -> DemandSignal | None:
    today = timezone.localdate()
    try:
        with transaction.atomic():
            return DemandSignal.objects.create(recorded_on=today, month=month_of(today), **fields)
    except Exception:  # a signal is never worth a failed search or request; the log has it
        log.exception("Demand signal not recorded")
        return None


def _constraints(parsed: Any) -> dict[str, Any]:
    """Quantity, price ceiling, certifications, market and HS heading from a parsed query."""
    from dualcirc.matching.types import ConstraintKind

    out: dict[str, Any] = {"certifications": []}
    for c in parsed.constraints:
        kind = ConstraintKind(c.kind)
        if kind == ConstraintKind.MOQ_MAX and "quantity" not in out:
            out["quantity"], out["unit"] = Decimal(c.value), c.unit[:20]
        elif kind == ConstraintKind.PRICE_MAX and "price_max" not in out:
            out["price_max"], out["currency"] = Decimal(c.value), c.currency[:3]
        elif kind == ConstraintKind.MARKET and "market" not in out:
            out["market"] = str(c.value).upper()[:8]
        elif kind == ConstraintKind.CERTIFICATION:
            out["certifications"].append(str(c.value))
        elif kind == ConstraintKind.HS_PREFIX and len(str(c.value)) >= 4:
            out.setdefault("hs_heading", str(c.value)[:4])
    return out


def record_search(*, user: Any, found: Any) -> DemandSignal | None:
    """Record one search (a ``search.queries.ProductSearch``): language, product words,
    constraints, how many hits matched well and the best score. The HS heading is the one the
    query names, else the best good match's. Never raises."""
    try:
        record, organisation = _buyer_organisation(user)
        if not record:
            return None
        parsed = found.result.query
        fields = _constraints(parsed)
        if found.filters.market and "market" not in fields:  # a facet counts as asked, too
            fields["market"] = found.filters.market.upper()[:8]
        good = found.good_match
        hits = found.result.hits
        if good and "hs_heading" not in fields and found.matches:
            fields["hs_heading"] = (found.matches[0].product.hs_code or "")[:4]
        return _insert(
            kind=SignalKind.SEARCH,
            language=parsed.language[:8],
            product_type=normalise_product_type(parsed.terms or parsed.text),
            good_matches=len(found.matches) if good else 0,
            best_score=float(hits[0].score) if hits else None,
            buyer_key=buyer_key(organisation.pk) if organisation else "",
            buyer_country=organisation.country if organisation else "",
            **fields,
        )
    except Exception:
        log.exception("Demand signal not recorded")
        return None


def record_sourcing_request(*, request: Any) -> DemandSignal | None:
    """Record a published sourcing request (what it asks, the buyer's country). Never raises."""
    try:
        if is_opted_out(request.created_by):
            return None
        return _insert(
            kind=SignalKind.SOURCING_REQUEST,
            language=_language_of(request.title + " " + request.need),
            product_type=normalise_product_type(request.title),
            hs_heading=(request.hs_code or "")[:4],
            market=request.destination_country,
            quantity=request.quantity,
            unit=request.unit,
            price_max=request.target_price,
            currency=request.currency if request.target_price is not None else "",
            certifications=list(request.certifications or []),
            buyer_country=request.buyer.country,
            buyer_key=buyer_key(request.buyer_id),
        )
    except Exception:
        log.exception("Demand signal not recorded")
        return None


def _language_of(text: str) -> str:
    from dualcirc.matching.understanding import parse_query

    return parse_query(text).language[:8]


def _exhibitor_signal(
    *, kind: str, user: Any, enterprise: Any, products: Iterable[Any] = ()
) -> DemandSignal | None:
    record, organisation = _buyer_organisation(user)
    if not record or organisation is None:
        return None
    headings = sorted({(p.hs_code or "")[:4] for p in products if p.hs_code})
    return _insert(
        kind=kind,
        hs_heading=headings[0] if len(headings) == 1 else "",
        buyer_country=organisation.country,
        buyer_key=buyer_key(organisation.pk),
        enterprise=enterprise,
    )


def record_booth_visit_signal(*, booth: Any, visitor: Any) -> DemandSignal | None:
    """A buyer visited a booth: the exhibitor, and its heading when the booth shows one."""
    try:
        return _exhibitor_signal(
            kind=SignalKind.BOOTH_VISIT,
            user=visitor,
            enterprise=booth.enterprise,
            products=booth.products.all(),
        )
    except Exception:
        log.exception("Demand signal not recorded")
        return None


def record_meeting_request_signal(*, actor: Any, other: Any) -> DemandSignal | None:
    """A buyer asked to meet the exhibitor registered as ``other`` (a fair registration)."""
    try:
        from dualcirc.catalog.models import Enterprise

        enterprise = Enterprise.objects.filter(organisation_id=other.organisation_id).first()
        if enterprise is None:
            return None
        return _exhibitor_signal(kind=SignalKind.MEETING_REQUEST, user=actor, enterprise=enterprise)
    except Exception:
        log.exception("Demand signal not recorded")
        return None


def retention_days() -> int:
    return int(getattr(settings, "DEMAND_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def delete_expired_signals(*, now: datetime | None = None) -> int:
    """Delete the signals older than ``DEMAND_RETENTION_DAYS`` (default 730). Returns how
    many. Side effects: DemandSignal rows deleted. Idempotent."""
    today = timezone.localdate(now) if now else timezone.localdate()
    cutoff = today - timedelta(days=retention_days())
    deleted, _ = DemandSignal.objects.filter(recorded_on__lt=cutoff).delete()
    # the radar rows of months wholly before the cutoff go with them
    DemandMonth.objects.filter(month__lt=month_of(cutoff)).delete()
    return deleted


def signal_subject() -> Case:
    """What the radar groups by: the HS heading, else (a product nobody lists) the words."""
    return Case(
        When(hs_heading="", then=F("product_type")),
        default=F("hs_heading"),
        output_field=CharField(),
    )


def rebuild_demand_months(*, months: Iterable[int]) -> int:
    """Recompute the radar's pre-aggregated rows of ``months`` from the signals (per kind and
    for every kind together). Returns how many rows were written. Side effects: the
    DemandMonth rows of those months replaced, in one transaction. Idempotent.

    One ``INSERT … SELECT … GROUP BY`` per kind (plain SQL that SQLite and PostgreSQL both
    run): the rows never travel through Python, which at a million signals is the difference
    between seconds and minutes. ``signal_subject`` is the same rule written for the ORM."""
    wanted = sorted(set(months))
    if not wanted:
        return 0
    signal_table = DemandSignal._meta.db_table
    month_table = DemandMonth._meta.db_table
    in_months = ", ".join(["%s"] * len(wanted))
    subject = "CASE WHEN hs_heading = '' THEN product_type ELSE hs_heading END"
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        DemandMonth.objects.filter(month__in=wanted).delete()
        for kind in ["", *SignalKind.values]:
            only_kind = "AND kind = %s" if kind else ""
            cursor.execute(
                f"INSERT INTO {month_table} "
                "(month, kind, subject, market, language, signals, unmet, buyers) "
                f"SELECT month, %s, {subject}, market, language, COUNT(*), "
                "SUM(CASE WHEN kind = %s AND good_matches = 0 THEN 1 ELSE 0 END), "
                "COUNT(DISTINCT CASE WHEN buyer_key <> '' THEN buyer_key END) "
                f"FROM {signal_table} WHERE month IN ({in_months}) {only_kind} "
                f"GROUP BY month, {subject}, market, language",
                [kind, SignalKind.SEARCH, *wanted, *([kind] if kind else [])],
            )
            written += max(cursor.rowcount, 0)
        _rebuild_asks(cursor, wanted, subject)
    return written


ASK_KINDS = ["", SignalKind.SEARCH, SignalKind.SOURCING_REQUEST]  # the kinds that ask for terms
MIN_ASK_BUYERS = 3  # queries.MIN_BUYERS: an ask with fewer distinct buyers is never shown, so
# it is not kept either (at a million signals most groups have one buyer)


def _rebuild_asks(cursor: Any, wanted: list[int], subject: str) -> None:
    """The ``DemandAsk`` rows of ``wanted`` with at least 3 distinct buyers (the only ones
    shown): quantities per unit and price ceilings per currency with one ``INSERT … SELECT …
    GROUP BY … HAVING`` each (as the radar rows), certifications
    from the few signals that ask for one (a JSON list: unnested here, the same on SQLite and
    PostgreSQL)."""
    signal_table = DemandSignal._meta.db_table
    ask_table = DemandAsk._meta.db_table
    in_months = ", ".join(["%s"] * len(wanted))
    DemandAsk.objects.filter(month__in=wanted).delete()
    for kind in ASK_KINDS:
        only_kind = "AND kind = %s" if kind else "AND kind IN (%s, %s)"
        kinds = [kind] if kind else [SignalKind.SEARCH, SignalKind.SOURCING_REQUEST]
        for measure, value, code in (
            ("quantity", "quantity", "unit"),
            ("price", "price_max", "currency"),
        ):
            cursor.execute(
                f"INSERT INTO {ask_table} (month, kind, subject, market, language, measure, "
                "code, buyers, signals, low, high) "
                f"SELECT month, %s, {subject}, market, language, %s, {code}, "
                "COUNT(DISTINCT CASE WHEN buyer_key <> '' THEN buyer_key END), COUNT(*), "
                f"MIN({value}), MAX({value}) FROM {signal_table} "
                f"WHERE month IN ({in_months}) AND {value} IS NOT NULL {only_kind} "
                f"GROUP BY month, {subject}, market, language, {code} "
                "HAVING COUNT(DISTINCT CASE WHEN buyer_key <> '' THEN buyer_key END) >= %s",
                [kind, measure, *wanted, *kinds, MIN_ASK_BUYERS],
            )
    certified = (
        DemandSignal.objects.filter(month__in=wanted, kind__in=ASK_KINDS[1:])
        .exclude(certifications=[])
        .annotate(subject=signal_subject())
        .values_list(
            "month", "kind", "subject", "market", "language", "certifications", "buyer_key"
        )
    )
    buyers: dict[tuple[Any, ...], set[str]] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for month, kind, subj, market, language, certs, key in certified.iterator():
        for cert in {str(c).upper()[:40] for c in certs or []}:
            for k in ("", kind):
                group = (month, k, subj, market, language, cert)
                counts[group] = counts.get(group, 0) + 1
                found = buyers.setdefault(group, set())
                if key:
                    found.add(key)
    DemandAsk.objects.bulk_create(
        [
            DemandAsk(
                month=month,
                kind=k,
                subject=subj,
                market=market,
                language=language,
                measure="certification",
                code=cert,
                buyers=len(buyers[group]),
                signals=n,
            )
            for group, n in counts.items()
            for month, k, subj, market, language, cert in [group]
            if len(buyers[group]) >= MIN_ASK_BUYERS
        ],
        batch_size=1000,
    )


def refresh_demand_radar(*, now: datetime | None = None) -> int:
    """The periodic job: rebuild this month's radar rows (and last month's during the first
    day of a month, so that its last signals are counted). Returns the rows written."""
    today = timezone.localdate(now) if now else timezone.localdate()
    months = {month_of(today)}
    if today.day == 1:
        months.add(month_of(today) - 1)
    return rebuild_demand_months(months=months)
