"""Booth documents as checked uploads, the session's hall on the pages, and meeting
recommendations that come from the matching engine with their reasons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dualcirc.core.errors import InvalidInput
from dualcirc.fair import domain
from dualcirc.fair.enums import RegistrationKind
from dualcirc.fair.models import BoothDocument, Session
from dualcirc.fair.queries import recommended_counterparts
from dualcirc.search.queries import suppliers_for_need
from dualcirc.search.service import get_service
from tests.factories import make_user
from tests.factories.fair import FairWorld, make_visitor
from tests.factories.files import png_bytes
from tests.factories.search import FAKE_EMBEDDER, make_catalog

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 catalogue 2025"


@pytest.fixture(autouse=True)
def _search_settings(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.SEARCH_EMBEDDER = FAKE_EMBEDDER  # type: ignore[attr-defined]
    get_service().reset()
    yield
    get_service().reset()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


# --- booth documents -----------------------------------------------------------------------------


def test_exhibitor_uploads_a_pdf_that_visitors_open_from_the_booth() -> None:
    world = FairWorld()
    booth = world.exhibitors[0].booth
    exhibitor = _client(world.exhibitors[0].contact)
    upload = SimpleUploadedFile("catalogue.pdf", PDF, content_type="application/pdf")

    exhibitor.post(f"/en/fair/booths/{booth.pk}/documents/", {"title": "Catalogue", "file": upload})
    doc = BoothDocument.objects.get()
    page = _client(world.visitors[0].contact).get(f"/en/fair/booths/{booth.pk}/").content.decode()
    opened = _client(world.visitors[0].contact).get(
        f"/en/fair/booths/{booth.pk}/documents/{doc.pk}/"
    )

    assert (doc.title, doc.name, doc.content_type, doc.size) == (
        "Catalogue",
        "catalogue.pdf",
        "application/pdf",
        len(PDF),
    )
    assert f'href="/en/fair/booths/{booth.pk}/documents/{doc.pk}/">Catalogue</a>' in page
    assert b"".join(opened.streaming_content) == PDF  # type: ignore[attr-defined]
    assert opened["Content-Type"] == "application/pdf"
    assert opened["X-Content-Type-Options"] == "nosniff"


def test_booth_document_is_refused_when_not_a_pdf_or_image_or_too_large() -> None:
    world = FairWorld()
    booth = world.exhibitors[0].booth
    actor = world.exhibitors[0].contact
    fake = SimpleUploadedFile(
        "prices.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    big = SimpleUploadedFile("big.png", png_bytes() + b"0" * (10 * 1024 * 1024))

    with pytest.raises(InvalidInput) as not_pdf:
        domain.add_booth_document(actor=actor, booth=booth, upload=fake)
    with pytest.raises(InvalidInput) as too_large:
        domain.add_booth_document(actor=actor, booth=booth, upload=big)
    page = _client(actor).post(
        f"/en/fair/booths/{booth.pk}/documents/",
        {"file": SimpleUploadedFile("prices.pdf", b"<html>", content_type="application/pdf")},
        follow=True,
    )
    image = domain.add_booth_document(
        actor=actor, booth=booth, upload=SimpleUploadedFile("hall.png", png_bytes())
    )

    assert [(e.field, e.message) for e in not_pdf.value.errors] == [
        ("file", "prices.pdf is not a PDF or an image (PNG, JPEG, GIF, WebP).")
    ]
    assert [(e.field, e.message) for e in too_large.value.errors] == [
        ("file", "big.png is larger than 10 MB.")
    ]
    assert "prices.pdf is not a PDF or an image" in page.content.decode()
    assert (image.title, image.content_type) == ("hall.png", "image/png")
    assert list(BoothDocument.objects.values_list("name", flat=True)) == ["hall.png"]


def test_only_the_exhibitor_adds_or_removes_booth_documents() -> None:
    world = FairWorld()
    booth = world.exhibitors[0].booth
    doc = domain.add_booth_document(
        actor=world.exhibitors[0].contact,
        booth=booth,
        upload=SimpleUploadedFile("c.pdf", PDF),
    )
    other = _client(world.exhibitors[1].contact)

    other.post(f"/en/fair/booths/{booth.pk}/documents/", {"file": SimpleUploadedFile("x.pdf", PDF)})
    other.post(f"/en/fair/booths/{booth.pk}/documents/{doc.pk}/remove/")
    assert list(BoothDocument.objects.values_list("name", flat=True)) == ["c.pdf"]

    _client(world.exhibitors[0].contact).post(
        f"/en/fair/booths/{booth.pk}/documents/{doc.pk}/remove/"
    )
    assert BoothDocument.objects.count() == 0


# --- the session's hall --------------------------------------------------------------------------


def test_session_hall_is_set_by_the_organiser_and_shown_on_the_pages() -> None:
    world = FairWorld()
    visitor = world.visitors[0].contact
    _client(world.organiser).post(
        f"/en/fair/{world.fair.pk}/manage/",
        {
            "action": "add_session",
            "kind": "roadshow",
            "title_zh": "莱西家具路演",
            "title_en": "Laixi furniture roadshow",
            "starts_at": "2025-10-24 10:00",
            "ends_at": "2025-10-24 11:00",
            "hall": str(world.hall.pk),
        },
    )
    session = Session.objects.get()
    domain.register_for_session(actor=visitor, session=session)
    client = _client(visitor)

    detail = client.get(f"/en/fair/{world.fair.pk}/").content.decode()
    hall = client.get(f"/en/fair/{world.fair.pk}/halls/{world.hall.pk}/").content.decode()
    agenda = client.get(f"/en/fair/{world.fair.pk}/agenda/").content.decode()
    manage = _client(world.organiser).get(f"/en/fair/{world.fair.pk}/manage/").content.decode()

    assert session.hall == world.hall
    assert (
        f'<a class="session-hall" href="/en/fair/{world.fair.pk}/halls/{world.hall.pk}/">'
        "Furniture hall</a>" in detail
    )
    assert "Sessions in this hall" in hall and "Laixi furniture roadshow" in hall
    assert "Roadshow · Furniture hall" in agenda
    assert "Laixi furniture roadshow · Furniture hall" in manage
    assert session.starts_at == datetime(2025, 10, 24, 2, 0, tzinfo=UTC)  # 10:00 Shanghai


# --- recommendations -----------------------------------------------------------------------------


def test_recommendations_come_from_matching_with_reasons_shown_to_the_visitor() -> None:
    catalog = make_catalog()
    world = FairWorld()
    exhibitors = {}
    for enterprise in (catalog.laixi, catalog.lanxi):
        contact = make_user(organisation=enterprise.organisation)
        reg = domain.register_for_fair(
            actor=contact,
            fair=world.fair,
            organisation=enterprise.organisation,
            kind=RegistrationKind.EXHIBITOR,
        )
        exhibitors[enterprise.pk] = domain.decide_registration(
            actor=world.organiser, registration=reg, approve=True
        )
    visitor = make_visitor(
        fair=world.fair, actor=world.organiser, name="Oak Buyers BV", note="solid oak dining table"
    )
    matches = suppliers_for_need(user=visitor.contact, text="solid oak dining table", limit=50)
    laixi_match = next(m for m in matches if m.enterprise == catalog.laixi)
    terms = list(
        dict.fromkeys(t for p in laixi_match.products for t in p.explanation.matched_terms)
    )

    recommended = recommended_counterparts(user=visitor.contact, registration=visitor)
    page = _client(visitor.contact).get(f"/en/fair/{world.fair.pk}/meetings/").content.decode()

    assert "oak" in terms  # the matching engine explains the match with the words that matched
    assert laixi_match.products[0].product == catalog.table
    assert recommended[0].registration == exhibitors[catalog.laixi.pk]
    assert recommended[0].reasons == [
        f"matches what you look for: {', '.join(terms[:5])}",
        "best match: Solid oak dining table, 6 seats",
    ]
    assert {c.registration.organisation_id for c in recommended} <= {
        m.enterprise.organisation_id for m in matches
    }
    assert (
        f"{catalog.laixi.organisation.name} — matches what you look for: {', '.join(terms[:5])}; "
        "best match: Solid oak dining table, 6 seats" in page
    )
