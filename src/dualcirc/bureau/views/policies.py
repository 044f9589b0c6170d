"""Support policies reaching enterprises: the bureau's view per policy (eligible, notified,
confirmed, paid, with amounts; recording a payment) and the enterprise's own policies
(confirming where needed). Officials see only their region's enterprises; an enterprise only
its own deliveries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.bureau.domain import policies as policy_domain
from dualcirc.bureau.enums import DeliveryState, PolicyMode
from dualcirc.bureau.models.cases import PolicyDelivery
from dualcirc.bureau.policy_forms import PaymentForm
from dualcirc.core.access import can_use_bureau, is_operator, require
from dualcirc.core.errors import DomainError


def can_be_paid(delivery: PolicyDelivery) -> bool:
    if delivery.state == DeliveryState.PAID:
        return False
    return delivery.policy.mode == PolicyMode.AUTOMATIC or (
        delivery.state == DeliveryState.CONFIRMED
    )


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    """Every policy the user may see with how far it reached the region's enterprises."""
    require(can_use_bureau(request.user))
    policies = list(policy_domain.visible_policies(request.user).order_by("-active", "title"))
    per_policy, overall = policy_domain.delivery_tallies(
        policy_domain.managed_deliveries(request.user)
    )
    rows = [
        (p, per_policy.get(p.pk, policy_domain.DeliveryTally()),
         policy_domain.data_labels(policy_domain.missing_data(p)))
        for p in policies
    ]  # fmt: skip
    return render(request, "bureau/policy_list.html", {"rows": rows, "overall": overall})


@login_required
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One policy: its rule and the data it needs (what the platform lacks), its counts and
    amounts in the user's region, and each delivery with a form to record a payment."""
    require(can_use_bureau(request.user))
    policy = get_object_or_404(policy_domain.visible_policies(request.user), pk=pk)
    deliveries_qs = policy_domain.managed_deliveries(request.user).filter(policy=policy)
    per_policy, _overall = policy_domain.delivery_tallies(deliveries_qs)
    deliveries = list(
        deliveries_qs.select_related("enterprise", "policy", "paid_by").order_by(
            "state", "-eligible_at"
        )[:300]
    )
    context = {
        "policy": policy,
        "tally": per_policy.get(policy.pk, policy_domain.DeliveryTally()),
        "needed": policy_domain.data_labels(policy_domain.required_data(policy)),
        "missing": policy_domain.data_labels(policy_domain.missing_data(policy)),
        "rows": [(d, can_be_paid(d)) for d in deliveries],
        "payment_form": PaymentForm(),
        "can_edit": is_operator(request.user),
    }
    return render(request, "bureau/policy_detail.html", context)


@login_required
@require_POST
def delivery_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a delivery was paid (the enterprise's region's government, operator)."""
    require(can_use_bureau(request.user))
    delivery = get_object_or_404(
        policy_domain.managed_deliveries(request.user).select_related(
            "policy", "enterprise__region"
        ),
        pk=pk,
    )
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the amount paid and the date."))
    else:
        try:
            policy_domain.record_delivery_payment(
                actor=request.user, delivery=delivery, amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"], reference=form.cleaned_data["reference"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, "; ".join(e.message for e in exc.errors) or str(exc))
        else:
            messages.success(request, _("The payment is recorded."))
    return redirect("bureau:policy-deliveries", pk=delivery.policy_id)


@login_required
def my_policies(request: HttpRequest) -> HttpResponse:
    """The policies the user's enterprises qualify for and have received."""
    deliveries = list(
        policy_domain.deliveries_of(request.user).order_by("enterprise_id", "-eligible_at")
    )
    rows = [
        (d, d.policy.mode == PolicyMode.CONFIRM and d.state in
         (DeliveryState.ELIGIBLE, DeliveryState.NOTIFIED))
        for d in deliveries
    ]  # fmt: skip
    many = len({d.enterprise_id for d in deliveries}) > 1
    return render(request, "bureau/my_policies.html", {"rows": rows, "many": many})


@login_required
@require_POST
def delivery_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The enterprise confirms it takes up a policy (its own deliveries only)."""
    delivery = get_object_or_404(policy_domain.deliveries_of(request.user), pk=pk)
    try:
        policy_domain.confirm_delivery(actor=request.user, delivery=delivery)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Confirmed. The bureau will pay it."))
    return redirect("bureau:my-policies")
