"""Search filters (rules and constraints), the feed payload, forms and exchange rates."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from django.utils import translation

from dualcirc.matching.dense import CachedEmbedder, DictEmbeddingCache
from dualcirc.matching.types import Constraint, ConstraintKind, ProductDoc
from dualcirc.search.documents import doc_to_payload, payload_digest, payload_to_doc
from dualcirc.search.forms import NeedForm, SearchForm
from dualcirc.search.queries import SearchFilters, check_need
from dualcirc.search.rates import current_rate_table
from tests.factories.search import FakeEmbedder


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_search_filters_become_hard_constraints():
    filters = SearchFilters(
        industry="Textile",
        hs_chapter="52",
        certification="OEKO-TEX",
        market="vn",
        language="zh",
        moq_max=Decimal("5000"),
        moq_unit="m",
        price_max=Decimal("4"),
        currency="usd",
    )

    assert filters.errors() == []
    assert filters.constraints() == [
        Constraint(ConstraintKind.HS_PREFIX, "52", hard=True),
        Constraint(ConstraintKind.CERTIFICATION, "OEKO-TEX", hard=True),
        Constraint(ConstraintKind.MARKET, "VN", hard=True),
        Constraint(ConstraintKind.LANGUAGE, "zh", hard=True),
        Constraint(ConstraintKind.MOQ_MAX, Decimal("5000"), unit="m", hard=True),
        Constraint(ConstraintKind.PRICE_MAX, Decimal("4"), currency="USD", hard=True),
    ]
    assert filters.active is True
    assert SearchFilters().active is False


def test_search_filters_have_one_spelling_whoever_builds_them():
    typed = SearchFilters(industry=" Textile ", market=" vn", moq_unit="m ", currency="usd ")

    # equal filters are one key of the result cache
    assert typed == SearchFilters(industry="Textile", market="VN", moq_unit="m", currency="USD")
    assert (typed.market, typed.currency) == ("VN", "USD")


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        (SearchFilters(hs_chapter="9"), "hs_chapter", "An HS chapter is two digits, e.g. 94."),
        (SearchFilters(language="fr"), "language", "Choose zh, en or vi."),
        (SearchFilters(moq_max=Decimal(-1)), "moq_max", "The MOQ ceiling cannot be negative."),
        (SearchFilters(price_max=Decimal(5)), "currency", "A price ceiling needs a currency."),
        (SearchFilters(currency="ABC"), "currency", "Unknown currency ABC."),
        (
            SearchFilters(market="XX"),
            "market",
            "Unknown market XX: use a two-letter country code or a region such as EU.",
        ),
    ],
)
def test_search_filters_name_the_bad_parameter(filters, field, message):
    assert [(e.field, e.message) for e in filters.errors()] == [(field, message)]


def test_market_groups_are_markets():
    assert SearchFilters(market="ASEAN").errors() == []
    assert (
        check_need(text="x", quantity=None, target_price=None, currency="", destination="EU") == []
    )


def test_feed_payload_round_trips_a_document_exactly():
    doc = ProductDoc(
        doc_id="7",
        enterprise_id="3",
        sku="LN-D1",
        titles={"zh": "弹力牛仔布"},
        attributes={"成分": "98%棉"},
        hs_code="520942",
        moq=Decimal("3000.000"),
        unit="米",
        price_min=Decimal("3.2000"),
        currency="USD",
        certifications=("OEKO-TEX",),
        export_markets=("VN",),
    )

    payload = doc_to_payload(doc)

    assert payload["moq"] == {"__decimal__": "3000.000"}
    assert payload_to_doc(payload) == doc
    assert payload_to_doc({**payload, "retired_field": 1}) == doc
    assert payload_digest(payload) == payload_digest(doc_to_payload(doc))
    assert payload_digest(payload) != payload_digest({**payload, "sku": "other"})


def test_cached_embedder_computes_each_text_once():
    model = FakeEmbedder()
    embedder = CachedEmbedder(model, DictEmbeddingCache())

    first = embedder.embed_passages(["oak table", "denim", "oak table"])
    again = embedder.embed_passages(["denim", "oak table"])

    assert model.passages == ["oak table", "denim"]
    assert np.array_equal(first[0], again[1])


def test_search_form_reads_filters():
    form = SearchForm({"q": "sofa", "market": "vn", "price_max": "300", "currency": "USD"})

    assert form.is_valid()
    assert form.filters() == SearchFilters(market="VN", price_max=Decimal("300"), currency="USD")


def test_need_form_splits_certifications():
    form = NeedForm({"text": "oak table", "quantity": "50", "certifications": "FSC， ISO 9001, "})

    assert form.is_valid(), form.errors
    assert form.need() == {
        "text": "oak table",
        "quantity": Decimal("50"),
        "unit": "",
        "target_price": None,
        "currency": "",
        "destination": "",
        "certifications": ["FSC", "ISO 9001"],
    }


@pytest.mark.django_db
def test_rate_table_converts_every_catalog_currency_into_yuan():
    rates = current_rate_table()

    assert rates.base == "CNY"
    assert rates.rates["VND"] == Decimal("0.000288")  # no operator rate yet: the fallback
    assert Decimal(5) < rates.rates["USD"] < Decimal(9)
    assert all(isinstance(v, Decimal) for v in rates.rates.values())
    assert rates.convert(Decimal(100), "USD", "USD") == Decimal(100)


@pytest.mark.django_db
def test_rate_table_uses_the_rate_an_operator_entered() -> None:
    import datetime as dt

    from dualcirc.deals.money import set_exchange_rate
    from tests.factories.api import make_operator

    set_exchange_rate(
        actor=make_operator(), currency="VND", rate=Decimal("3500"), on=dt.date(2026, 11, 2)
    )

    rates = current_rate_table()

    # 3,500 VND buy one yuan, so one dong is worth 1/3500 yuan
    assert rates.rates["VND"] == Decimal("0.000285714285714")
