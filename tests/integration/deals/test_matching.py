"""Publishing invites the best-matching suppliers, with the reasons they matched."""

from __future__ import annotations

import pytest

from dualcirc.core.enums import OrganisationKind
from dualcirc.deals.domain import publish_request
from dualcirc.deals.enums import Visibility
from dualcirc.deals.presentation import reason_labels
from dualcirc.notify.models import Notification
from tests.factories import make_organisation, make_user
from tests.factories.deals import request_data
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db


def test_publish_request_invites_matched_suppliers_with_reasons():
    catalog = make_catalog()
    maker = make_user(organisation=catalog.laixi.organisation)
    buyer = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))
    request = publish_request(
        actor=buyer,
        data=request_data(
            need="solid oak dining table",
            hs_code="",
            certifications=["FSC"],
            target_price="130",
            currency="USD",
            destination_country="US",
            visibility=Visibility.MATCHED,
        ),
    )
    invitation = request.invitations.get(enterprise=catalog.laixi)
    assert (invitation.source, invitation.rank) == ("matched", 1)
    kinds = {r["kind"] for r in invitation.reasons}
    assert {"term", "constraint", "products"} <= kinds
    fsc = [r for r in invitation.reasons if r["kind"] == "constraint" and r["value"] == "FSC"]
    assert fsc and fsc[0]["status"] == "met"
    products = next(r for r in invitation.reasons if r["kind"] == "products")["products"]
    assert products[0]["id"] == catalog.table.pk
    # the best product is what the request names (type agreement), said in the product's words
    named = [r for r in invitation.reasons if r["kind"] == "named"]
    assert named and named[0]["names"]
    labels = [r["label"] for r in reason_labels(invitation.reasons)]
    assert any(label.startswith("is what was asked for: ") for label in labels)
    assert Notification.objects.filter(recipient=maker, verb="request_invited").count() == 1


def test_publish_request_invited_only_skips_matching():
    catalog = make_catalog()
    buyer = make_user(organisation=make_organisation(kind=OrganisationKind.BUYER))
    request = publish_request(
        actor=buyer,
        data=request_data(need="oak dining table", visibility=Visibility.INVITED),
        invite=[catalog.lanxi],
    )
    assert list(request.invitations.values_list("enterprise", "source")) == [
        (catalog.lanxi.pk, "manual")
    ]
