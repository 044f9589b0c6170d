"""Meeting outcomes on the pages and in the API: the rating form (only the two sides; others
get a 404), the leads page and its exports (only the exhibitor's own people), the funnel (only
the organiser), each refusal checked with what did not happen."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from dualcirc.core.api_auth import issue_api_token
from dualcirc.core.enums import OrganisationKind
from dualcirc.fair import domain
from dualcirc.fair.enums import MeetingResult
from dualcirc.fair.models import MeetingOutcome, MeetingOutcomeChange
from tests.factories import make_organisation, make_user
from tests.factories.fair import held_meetings_world, order_between

pytestmark = pytest.mark.django_db


def page(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api(user: Any, method: str, url: str, body: Any = None) -> Any:
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {issue_api_token(user=user, name='t')}"
    call = getattr(Client(), method)
    if body is None:
        return call(url, **headers)
    return call(url, json.dumps(body), content_type="application/json", **headers)


def operator() -> Any:
    return make_user(organisation=make_organisation(kind=OrganisationKind.OPERATOR))


def test_a_side_rates_a_meeting_on_the_page_linking_the_order() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak)
    url = f"/en/fair/meetings/{meeting.pk}/outcome/"
    client = page(berlin.contact)

    form = client.get(url + "?stage=held")
    saved = client.post(
        url,
        {"rating": "5", "result": MeetingResult.ORDER_PLACED, "order": order.pk, "stage": "held"},
    )

    assert form.status_code == 200
    assert order.number in form.content.decode()
    assert (saved.status_code, saved["Location"]) == (302, url)
    outcome = MeetingOutcome.objects.get(meeting=meeting)
    assert (outcome.registration_id, outcome.rating, outcome.order_id) == (berlin.pk, 5, order.pk)
    again = client.get(url).content.decode()
    assert "Your earlier answers" in again
    assert order.number in again


def test_the_rating_form_shows_each_error_on_its_field() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin = world.visitors[0]

    response = page(berlin.contact).post(
        f"/en/fair/meetings/{meeting.pk}/outcome/",
        {"rating": "4", "result": MeetingResult.SAMPLES, "order_value": "100"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "order": ["Only an order placed names an order or its value."]
    }
    assert not MeetingOutcome.objects.exists()


@pytest.mark.parametrize("who", ["organiser", "operator", "outsider", "other_visitor", None])
def test_only_the_two_sides_see_the_rating_form(who: str | None) -> None:
    world, (meeting, _other) = held_meetings_world()
    user = {
        "organiser": world.organiser,
        "operator": operator(),
        "outsider": make_user(),
        "other_visitor": world.visitors[1].contact,
        None: None,
    }[who]
    url = f"/en/fair/meetings/{meeting.pk}/outcome/"

    get = page(user).get(url)
    post = page(user).post(url, {"rating": "1", "result": MeetingResult.NO_INTEREST})
    put = api(user, "put", f"/api/fair-meetings/{meeting.pk}/outcome", {"rating": 1,
              "result": "no_interest"})  # fmt: skip

    if user is None:
        assert (get.status_code, post.status_code, put.status_code) == (302, 302, 401)
    else:
        assert (get.status_code, post.status_code, put.status_code) == (404, 404, 404)
    assert not MeetingOutcome.objects.exists()


def test_api_rates_updates_and_reads_back_with_history() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak)
    url = f"/api/fair-meetings/{meeting.pk}/outcome"

    first = api(oak.contact, "put", url, {"rating": 4, "result": "negotiating"})
    second = api(oak.contact, "put", url, {"rating": 5, "result": "order_placed",
                                           "order_id": order.pk, "stage": "one_month"})  # fmt: skip
    bad = api(oak.contact, "put", url, {"rating": 9, "result": "negotiating"})
    read = api(oak.contact, "get", url)

    assert (first.status_code, second.status_code, bad.status_code) == (200, 200, 422)
    assert [e["field"] for e in bad.json()["errors"]] == ["rating"]
    body = read.json()
    assert (body["rating"], body["result"], body["order_number"]) == (
        5,
        "order_placed",
        order.number,
    )
    assert MeetingOutcomeChange.objects.filter(outcome__meeting=meeting).count() == 2


def test_api_refuses_an_order_of_other_organisations_as_unknown() -> None:
    world, (meeting, _other) = held_meetings_world()
    new_york, sofa = world.visitors[1], world.exhibitors[1]
    elsewhere = order_between(new_york, sofa)

    response = api(
        world.visitors[0].contact,
        "put",
        f"/api/fair-meetings/{meeting.pk}/outcome",
        {"rating": 5, "result": "order_placed", "order_id": elsewhere.pk},
    )

    assert response.status_code == 404
    assert not MeetingOutcome.objects.exists()


def test_leads_page_and_exports_are_the_exhibitors_own() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    domain.record_booth_visit(booth=oak.booth, visitor=berlin.contact)
    domain.rate_meeting(actor=oak.contact, meeting=meeting, rating=4, result=MeetingResult.SAMPLES)
    url = f"/en/fair/{world.fair.pk}/leads/"
    client = page(oak.contact)

    html = client.get(url + "?sort=-visits")
    csv = client.get(url + "?format=csv")
    xlsx = client.get(url + "?format=xlsx")
    refused = {
        who: page(u).get(url).status_code
        for who, u in {
            "organiser": world.organiser,
            "visitor": berlin.contact,
            "operator": operator(),
        }.items()
    }
    # Another exhibitor naming oak's registration gets its own leads (New York), never oak's.
    other = page(world.exhibitors[1].contact).get(url + f"?as={oak.pk}")
    api_own = api(oak.contact, "get", f"/api/booths/{oak.booth.pk}/lead-scores")
    api_other = api(world.exhibitors[1].contact, "get", f"/api/booths/{oak.booth.pk}/lead-scores")

    assert html.status_code == 200
    assert [lead.name for lead in html.context["leads"]] == [berlin.organisation.name]
    assert "How the score is counted" in html.content.decode()
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Buyer,Country,Score,Booth visits")
    assert lines[1] == f"{berlin.organisation.name},DE,26,1,0,0,0,1,1,Samples requested,"
    workbook = load_workbook(io.BytesIO(xlsx.content))
    sheet = workbook.active
    assert workbook.sheetnames == ["Leads"]
    assert [c.value for c in sheet[1]] == lines[0].split(",")
    assert [c.value for c in sheet[2]] == [
        berlin.organisation.name, "DE", 26, 1, 0, 0, 0, 1, 1, "Samples requested", None,
    ]  # fmt: skip
    assert sheet.max_row == 2
    assert refused == {"organiser": 404, "visitor": 404, "operator": 404}
    assert other.context["reg"].pk == world.exhibitors[1].pk
    assert [lead.name for lead in other.context["leads"]] == [world.visitors[1].organisation.name]
    assert [(r["name"], r["score"]) for r in api_own.json()] == [(berlin.organisation.name, 26)]
    assert api_other.status_code == 404


def test_funnel_page_and_api_are_the_organisers_with_the_orders_value() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]
    order = order_between(berlin, oak)
    domain.rate_meeting(
        actor=berlin.contact,
        meeting=meeting,
        rating=5,
        result=MeetingResult.ORDER_PLACED,
        order=order,
    )
    url = f"/en/fair/{world.fair.pk}/funnel/"

    html = page(world.organiser).get(url)
    body = api(world.organiser, "get", f"/api/fairs/{world.fair.pk}/funnel").json()
    refused = {
        who: (page(u).get(url).status_code, api(u, "get", f"/api/fairs/{world.fair.pk}/funnel"))
        for who, u in {"exhibitor": oak.contact, "visitor": berlin.contact}.items()
    }
    bad_currency = api(world.organiser, "get", f"/api/fairs/{world.fair.pk}/funnel?currency=1")

    assert html.status_code == 200
    chart = html.context["chart"]
    assert [row[0] for row in chart.rows][:6] == [
        "Registrations",
        "Meeting requests",
        "Meetings scheduled",
        "Meetings held",
        "Negotiating or further",
        "Orders",
    ]
    assert chart.spec["series"][0]["data"] == [4, 2, 2, 2, 1, 1]
    assert (body["orders"], body["currency"], body["orders_through_platform"]) == (1, "CNY", 1)
    assert Decimal(body["value"]) == order.value_cny
    assert {who: (p, a.status_code) for who, (p, a) in refused.items()} == {
        "exhibitor": (404, 404),
        "visitor": (404, 404),
    }
    assert bad_currency.status_code == 422


def test_leads_page_queries_do_not_grow_with_leads(django_assert_max_num_queries: Any) -> None:
    from tests.factories.query_counts import page_queries

    world, (meeting, _other) = held_meetings_world()
    oak = world.exhibitors[0]
    domain.rate_meeting(
        actor=oak.contact, meeting=meeting, rating=4, result=MeetingResult.NEGOTIATING
    )
    made = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            buyer = make_organisation(kind=OrganisationKind.BUYER, name=f"Lead Buyer {made[0]}")
            domain.record_booth_visit(booth=oak.booth, visitor=make_user(organisation=buyer))

    counts = page_queries(
        django_assert_max_num_queries,
        oak.contact,
        f"/en/fair/{world.fair.pk}/leads/",
        grow,
        "Lead Buyer",
        20,
    )

    assert counts[0] == counts[1]


def test_outcomes_in_the_admin_are_read_only_with_their_history() -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin = world.visitors[0]
    outcome = domain.rate_meeting(
        actor=berlin.contact, meeting=meeting, rating=3, result=MeetingResult.SAMPLES
    )
    admin = make_user(is_staff=True, is_superuser=True)
    client = page(admin)

    listing = client.get("/en/admin/fair/meetingoutcome/")
    detail = client.get(f"/en/admin/fair/meetingoutcome/{outcome.pk}/change/")
    add = client.get("/en/admin/fair/meetingoutcome/add/")

    assert listing.status_code == 200
    assert berlin.organisation.name in listing.content.decode()
    assert detail.status_code == 200 and 'name="rating"' not in detail.content.decode()
    assert add.status_code == 403


@pytest.mark.parametrize("language", ["zh-hans", "en", "vi"])
def test_outcome_pages_answer_in_each_language(language: str) -> None:
    world, (meeting, _other) = held_meetings_world()
    berlin, oak = world.visitors[0], world.exhibitors[0]

    rate = page(berlin.contact).get(f"/{language}/fair/meetings/{meeting.pk}/outcome/")
    leads = page(oak.contact).get(f"/{language}/fair/{world.fair.pk}/leads/")
    funnel = page(world.organiser).get(f"/{language}/fair/{world.fair.pk}/funnel/")

    assert [r.status_code for r in (rate, leads, funnel)] == [200, 200, 200]
    assert all(f'lang="{language}"' in r.content.decode() for r in (rate, leads, funnel))


# A name in the page's language where the buyer has one; else the original, the first written
# of Chinese, English, Vietnamese (l10n.local_name, as the page's other names).
@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("zh-hans", ["柏林采购有限公司", "Saigon Trading"]),
        ("en", ["Berlin Buying GmbH", "Saigon Trading"]),
        ("vi", ["柏林采购有限公司", "Công ty Thương mại Sài Gòn"]),
    ],
)
def test_leads_name_buyers_in_the_pages_language_where_they_have_that_name(
    language: str, names: list[str]
) -> None:
    import re

    world, _meetings = held_meetings_world()
    berlin, saigon = world.visitors
    oak = world.exhibitors[0]
    for visitor, name, name_en in (
        (berlin, "柏林采购有限公司", "Berlin Buying GmbH"),
        (saigon, "Công ty Thương mại Sài Gòn", "Saigon Trading"),
    ):
        visitor.organisation.name, visitor.organisation.name_en = name, name_en
        visitor.organisation.save()
        domain.record_booth_visit(booth=oak.booth, visitor=visitor.contact)

    html = page(oak.contact).get(f"/{language}/fair/{world.fair.pk}/leads/?sort=name")
    table = html.content.decode().split('id="leads"', 1)[1].split("</table>", 1)[0]

    assert sorted(re.findall(r'<th scope="row">([^<]*)</th>', table)) == sorted(names)
