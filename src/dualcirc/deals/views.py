"""The deal pages for buyers, suppliers and the operator.

Each view: signed-in only; looks the object up with the access rules (core.access) and answers
404 to strangers; converts a form (deals.forms); calls one deals.domain function. On a domain
error the same page is shown again with what the person typed and the error beside its field;
a Conflict (someone else acted first) is shown as such above the form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    AccessDenied,
    can_create_sourcing_request,
    can_manage_exchange_rates,
    can_manage_sourcing_request,
    can_see_request_as_supplier,
    can_view_deal_dashboard,
    can_view_order,
    is_operator,
    require,
)
from dualcirc.core.errors import Conflict, DomainError, InvalidInput
from dualcirc.core.forms import add_domain_errors
from dualcirc.deals import domain, money, queries
from dualcirc.deals.domain.audit import audit_trail
from dualcirc.deals.domain.common import quote_parties
from dualcirc.deals.domain.conversations import conversations_for
from dualcirc.deals.domain.negotiation import (
    can_accept_offer,
    can_make_counter_offer,
    latest_offer,
    negotiating_side,
)
from dualcirc.deals.domain.orders import can_write_order, order_moves
from dualcirc.deals.domain.quotes import (
    QUOTE_TERMS,
    can_attach_to_quote,
    closing_quote_moves,
    quote_terms_editable,
)
from dualcirc.deals.domain.requests import can_close_request
from dualcirc.deals.enums import OrderState, QuoteState, RequestState
from dualcirc.deals.forms import (
    AttachForm,
    CounterOfferForm,
    MessageForm,
    MilestoneForm,
    PaymentForm,
    QuoteForm,
    RateForm,
    RateUploadForm,
    RequestForm,
    TransitionForm,
)
from dualcirc.deals.models import ExchangeRate, Order, Quote, QuoteAttachment, SourcingRequest
from dualcirc.deals.prefill import request_form_initial
from dualcirc.deals.presentation import (
    audit_lines,
    offer_rows,
    order_move_label,
    order_products,
    order_timeline,
    reason_labels,
)
from dualcirc.fair.outcome_queries import meetings_of_order


def _show_error(form: Any, exc: DomainError | AccessDenied) -> None:
    """Put a domain error on ``form``: field errors beside their fields, the rest on top."""
    if isinstance(exc, InvalidInput) and exc.errors:
        add_domain_errors(form, exc)
    else:
        form.add_error(None, str(exc))


def _status_of(exc: DomainError | AccessDenied) -> int:
    """409 conflict or impossible move, 422 bad input, 403 not this person's to do."""
    return exc.status if isinstance(exc, DomainError) else 403


def _attempt(
    form: forms.Form,
    action: Callable[[], Any],
    *,
    current: Callable[[], Mapping[str, Any]] | None = None,
) -> int:
    """Run ``action`` (one deals.domain call with ``form``'s data): 0 when it succeeded, else
    the HTTP status of the refusal, which is put on ``form`` (beside its field when it names
    one). On a Conflict the hidden version fields take the values of ``current()`` — the
    version now on the page — so that what the person typed, sent again after review, is
    accepted instead of conflicting for ever."""
    try:
        action()
    except (DomainError, AccessDenied) as exc:
        _show_error(form, exc)
        if isinstance(exc, Conflict) and current is not None:
            data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
            for name, value in current().items():
                data[name] = str(value)
            form.data = data
        return _status_of(exc)
    return 0


# --- overview ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "deals/home.html",
        {
            "is_buyer": can_create_sourcing_request(user),
            "requests": queries.buyer_requests(user)[:5],
            "invitations": queries.supplier_invitations(user)[:5],
            "orders": queries.orders_for(user)[:5],
            "is_operator": is_operator(user),
            "enterprises": queries.supplier_enterprises(user),
            "conversations": conversations_for(user)[:5],
        },
    )


# --- buyers --------------------------------------------------------------------------------------


@login_required
def buyer_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deals/buyer_requests.html",
        {
            "requests": queries.buyer_requests(request.user)[:200],
            "can_create": can_create_sourcing_request(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    require(can_create_sourcing_request(request.user), _("Only buyers post sourcing requests."))
    # Arriving from a product page, a search or a thread, the form starts filled in.
    form = RequestForm(
        request.POST or None, initial=request_form_initial(user=request.user, params=request.GET)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        invite = data.pop("invite")
        try:
            rfq = domain.publish_request(actor=request.user, data=data, invite=invite)
        except InvalidInput as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                _("Your request was published; %(n)d suppliers were invited.")
                % {"n": rfq.invitations.count()},
            )
            return redirect("deals:buyer-request", pk=rfq.pk)
    return render(request, "deals/request_form.html", {"form": form})


def _buyer_request(request: HttpRequest, pk: int) -> SourcingRequest:
    rfq = get_object_or_404(SourcingRequest.objects.select_related("buyer"), pk=pk)
    if not (can_manage_sourcing_request(request.user, rfq) or is_operator(request.user)):
        raise Http404(_("There is no sourcing request with this id."))
    return queries.open_request(rfq)


@login_required
def buyer_request(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _buyer_request(request, pk)
    currency = (request.GET.get("currency") or rfq.currency).upper()
    invitations = [
        (inv, reason_labels(inv.reasons)) for inv in rfq.invitations.select_related("enterprise")
    ]
    return render(
        request,
        "deals/buyer_request.html",
        {
            "rfq": rfq,
            "invitations": invitations,
            "compared": queries.compare_quotes(rfq, currency),
            "currency": currency,
            "can_close": can_close_request(request.user, rfq),
        },
    )


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    rfq = _buyer_request(request, pk)
    target = request.POST.get("to_state", RequestState.CLOSED)
    try:
        domain.transition_request(actor=request.user, request=rfq, to_state=target)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The request is %(state)s.") % {"state": RequestState(target).label}
        )
    return redirect("deals:buyer-request", pk=pk)


# --- suppliers -----------------------------------------------------------------------------------


@login_required
def supplier_invitations(request: HttpRequest) -> HttpResponse:
    rows = [(inv, reason_labels(inv.reasons)) for inv in queries.supplier_invitations(request.user)]
    return render(
        request,
        "deals/supplier_invitations.html",
        {"invitations": rows, "public": queries.public_requests(request.user)},
    )


def _supplier_view(request: HttpRequest, pk: int) -> tuple[SourcingRequest, Enterprise]:
    rfq = get_object_or_404(SourcingRequest.objects.select_related("buyer"), pk=pk)
    for enterprise in queries.supplier_enterprises(request.user):
        if can_see_request_as_supplier(request.user, rfq, enterprise):
            return queries.open_request(rfq), enterprise
    raise Http404(_("There is no sourcing request with this id."))


@login_required
@require_http_methods(["GET", "POST"])
def supplier_request(request: HttpRequest, pk: int) -> HttpResponse:
    rfq, enterprise = _supplier_view(request, pk)
    quote = rfq.quotes.filter(supplier=enterprise).first()
    invitation = rfq.invitations.filter(enterprise=enterprise).first()
    initial: dict[str, Any] = {"currency": rfq.currency, "incoterm": rfq.incoterm or "FOB"}
    if quote is not None:
        initial = {name: getattr(quote, name) for name in ("version", *QUOTE_TERMS)}
    form = QuoteForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        if quote is None:
            sent: list[Quote] = []
            status = _attempt(
                form,
                lambda: sent.append(
                    domain.submit_quote(
                        actor=request.user,
                        request=rfq,
                        enterprise=enterprise,
                        data=form.terms(),
                        tiers=form.tiers(),
                        attachments=request.FILES.getlist("attachments"),
                    )
                ),
            )
            if not status:
                messages.success(request, _("Your quote was sent to the buyer."))
                return redirect("deals:negotiation", pk=sent[0].pk)
        else:
            revised = quote

            def current() -> dict[str, Any]:
                revised.refresh_from_db()
                return {"version": revised.version}

            status = _attempt(
                form,
                lambda: domain.revise_quote(
                    actor=request.user,
                    quote=revised,
                    data=form.terms(),
                    tiers=form.tiers() or None,
                    expected_version=form.cleaned_data.get("version"),
                ),
                current=current,
            )
            if not status:
                messages.success(request, _("Your quote was revised."))
                return redirect("deals:negotiation", pk=revised.pk)
    return render(
        request,
        "deals/supplier_request.html",
        {
            "rfq": rfq,
            "enterprise": enterprise,
            "quote": quote,
            "invitation": invitation,
            "reasons": reason_labels(invitation.reasons) if invitation else [],
            "form": form,
            "can_edit": quote_terms_editable(request=rfq, quote=quote),
        },
        status=status,
    )


@login_required
def supplier_quotes(request: HttpRequest) -> HttpResponse:
    return render(
        request, "deals/supplier_quotes.html", {"quotes": queries.supplier_quotes(request.user)}
    )


# --- negotiation ---------------------------------------------------------------------------------


def _quote(request: HttpRequest, pk: int) -> Quote:
    quote = get_object_or_404(
        Quote.objects.select_related("request__buyer", "supplier", "negotiation"), pk=pk
    )
    if not quote_parties(request.user, quote):
        raise Http404(_("There is no quote with this id."))
    return quote


def _negotiation_page(
    request: HttpRequest,
    quote: Quote,
    *,
    counter_form: CounterOfferForm | None = None,
    message_form: MessageForm | None = None,
    attach_form: AttachForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    quote.refresh_from_db()
    offers = list(quote.negotiation.offers.select_related("author"))
    latest = offers[-1]  # by number (Offer.Meta.ordering); version 1 is written with the quote
    order = Order.objects.filter(quote=quote).first()
    return render(
        request,
        "deals/negotiation.html",
        {
            "quote": quote,
            "rfq": quote.request,
            "offers": offer_rows(offers),
            "latest": latest,
            "side": negotiating_side(request.user, quote),
            "can_accept": can_accept_offer(request.user, quote, latest),
            "can_counter": can_make_counter_offer(request.user, quote),
            "state_moves": [
                (s, QuoteState(s).label) for s in closing_quote_moves(request.user, quote)
            ],
            "messages_list": quote.negotiation.messages.select_related("author"),
            "counter_form": counter_form
            or CounterOfferForm(initial={"expected_offer": latest.number}),
            "message_form": message_form or MessageForm(),
            "attachments": quote.attachments.all(),
            "can_attach": can_attach_to_quote(request.user, quote),
            "attach_form": attach_form or AttachForm(),
            "error": error,
            "order": order,
        },
        status=status,
    )


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _thread(
    request: HttpRequest, quote: Quote, *, form: MessageForm | None = None, whole: bool = True
) -> HttpResponse:
    """The thread of ``quote`` as a fragment for htmx: the messages and, with ``whole``, the
    message form (fresh, or ``form`` with its errors). Always 200: htmx swaps only 2xx."""
    response = render(
        request,
        "deals/_thread.html" if whole else "deals/_messages.html",
        {
            "quote": quote,
            "side": negotiating_side(request.user, quote),
            "messages_list": quote.negotiation.messages.select_related("author"),
            "message_form": form or MessageForm(),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    """The messages of a negotiation (polled by the page to refresh the thread in place)."""
    return _thread(request, _quote(request, pk), whole=False)


@login_required
def negotiation(request: HttpRequest, pk: int) -> HttpResponse:
    return _negotiation_page(request, _quote(request, pk))


@login_required
@require_POST
def counter_offer(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    form = CounterOfferForm(request.POST)
    if not form.is_valid():
        return _negotiation_page(request, quote, counter_form=form, status=422)
    status = _attempt(
        form,
        lambda: domain.make_counter_offer(
            actor=request.user,
            quote=quote,
            data=form.terms(),
            note=form.cleaned_data["note"],
            expected_offer=form.cleaned_data["expected_offer"],
        ),
        current=lambda: {"expected_offer": latest_offer(quote).number},
    )
    if status:
        return _negotiation_page(request, quote, counter_form=form, status=status)
    messages.success(request, _("Your counter-offer was sent."))
    return redirect("deals:negotiation", pk=pk)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    seen = request.POST.get("offer_number", "")
    try:
        order = domain.accept_offer(
            actor=request.user,
            quote=quote,
            # The version on the page; anything else (a newer one, a mangled form) conflicts.
            offer_number=int(seen) if seen.isdigit() else 0,
        )
    except (DomainError, AccessDenied) as exc:
        return _negotiation_page(request, quote, error=str(exc), status=_status_of(exc))
    messages.success(request, _("Offer accepted: order %(number)s.") % {"number": order.number})
    return redirect("deals:order", pk=order.pk)


@login_required
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            domain.post_message(actor=request.user, quote=quote, body=form.cleaned_data["body"])
        except DomainError as exc:
            _show_error(form, exc)
        else:
            if _is_htmx(request):
                return _thread(request, quote)
            return redirect("deals:negotiation", pk=pk)
    if _is_htmx(request):
        return _thread(request, quote, form=form)
    return _negotiation_page(request, quote, message_form=form, status=422)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    form = AttachForm(request.POST, request.FILES)
    try:
        saved = domain.add_quote_attachments(
            actor=request.user, quote=quote, attachments=request.FILES.getlist("attachments")
        )
    except (DomainError, AccessDenied) as exc:
        _show_error(form, exc)
        return _negotiation_page(request, quote, attach_form=form, status=_status_of(exc))
    messages.success(request, _("%(n)d files attached.") % {"n": len(saved)})
    return redirect("deals:negotiation", pk=pk)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """An attachment of a quote, for the two sides and the operator only."""
    quote = _quote(request, pk)
    att = get_object_or_404(QuoteAttachment, pk=attachment_pk, quote=quote)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


@login_required
@require_POST
def quote_state(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _quote(request, pk)
    try:
        domain.transition_quote(
            actor=request.user,
            quote=quote,
            to_state=request.POST.get("to_state", ""),
            note=request.POST.get("note", ""),
        )
    except (DomainError, AccessDenied) as exc:
        return _negotiation_page(request, quote, error=str(exc), status=_status_of(exc))
    return redirect("deals:negotiation", pk=pk)


# --- orders --------------------------------------------------------------------------------------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    return render(request, "deals/orders.html", {"orders": queries.orders_for(request.user)[:200]})


def _order(request: HttpRequest, pk: int) -> Order:
    order = get_object_or_404(Order.objects.select_related("buyer", "supplier"), pk=pk)
    if not can_view_order(request.user, order):
        raise Http404(_("There is no order with this id."))
    return order


def _order_page(
    request: HttpRequest,
    order: Order,
    *,
    transition_form: TransitionForm | None = None,
    milestone_form: MilestoneForm | None = None,
    payment_form: PaymentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    order.refresh_from_db()
    payments = list(order.payments.all())
    moves = [(s, order_move_label(s)) for s in order_moves(request.user, order)]
    return render(
        request,
        "deals/order.html",
        {
            "order": order,
            "moves": moves,
            "transition_form": transition_form
            or TransitionForm(initial={"version": order.version}),
            "timeline": order_timeline(order, list(order.milestones.all())),
            "products": order_products(order, request.user),
            "payments": payments,
            "paid_total": queries.paid_total(payments),
            "audit": audit_lines(audit_trail(order)),
            "can_plan": can_write_order(request.user, order, "plan_milestones"),
            "can_pay": can_write_order(request.user, order, "record_payment"),
            "milestone_form": milestone_form or MilestoneForm(),
            "payment_form": payment_form or PaymentForm(initial={"currency": order.currency}),
            "meetings": meetings_of_order(request.user, order),
        },
        status=status,
    )


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _order_page(request, _order(request, pk))


@login_required
@require_POST
def order_transition(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, transition_form=form, status=422)

    def current() -> dict[str, Any]:
        order.refresh_from_db()
        return {"version": order.version}

    status = _attempt(
        form,
        lambda: domain.transition_order(
            actor=request.user,
            order=order,
            to_state=form.cleaned_data["to_state"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        ),
        current=current,
    )
    if status:
        return _order_page(request, order, transition_form=form, status=status)
    messages.success(
        request,
        _("Order %(number)s is now %(state)s.")
        % {"number": order.number, "state": OrderState(order.state).label},
    )
    return redirect("deals:order", pk=pk)


@login_required
@require_POST
def order_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = MilestoneForm(request.POST)
    status = 422
    if form.is_valid():
        status = _attempt(
            form,
            lambda: domain.update_milestone(actor=request.user, order=order, **form.cleaned_data),
        )
    saved = status == 0
    if _is_htmx(request):  # the milestones section alone, swapped in place (always 200)
        response = render(
            request,
            "deals/_milestones.html",
            {
                "order": order,
                "timeline": order_timeline(order, list(order.milestones.all())),
                "can_plan": can_write_order(request.user, order, "plan_milestones"),
                "milestone_form": MilestoneForm() if saved else form,
                "saved": saved,
            },
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if saved:
        return redirect("deals:order", pk=pk)
    return _order_page(request, order, milestone_form=form, status=status)


@login_required
@require_POST
def order_payment(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order(request, pk)
    form = PaymentForm(request.POST)
    status = 422
    if form.is_valid():
        status = _attempt(
            form,
            lambda: domain.record_payment(actor=request.user, order=order, **form.cleaned_data),
        )
        if not status:
            return redirect("deals:order", pk=pk)
    return _order_page(request, order, payment_form=form, status=status)


# --- dashboards and rates ------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    enterprise = None
    if request.GET.get("enterprise", "").isdigit():
        enterprise = get_object_or_404(Enterprise, pk=int(request.GET["enterprise"]))
    elif not is_operator(request.user):
        enterprise = queries.supplier_enterprises(request.user).first()
    if enterprise is None:
        require(is_operator(request.user), _("Only the operator sees the whole platform."))
    else:
        require(can_view_deal_dashboard(request.user, enterprise))
    return render(
        request,
        "deals/dashboard.html",
        {"funnel": queries.deal_funnel(enterprise=enterprise), "enterprise": enterprise},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rates(request: HttpRequest) -> HttpResponse:
    require(can_manage_exchange_rates(request.user), _("Only the platform operator enters rates."))
    form = RateForm(request.POST if "rate" in request.POST else None)
    upload = RateUploadForm(
        request.POST if "upload" in request.POST else None,
        request.FILES if "upload" in request.POST else None,
    )
    if form.is_bound and form.is_valid():
        try:
            money.set_exchange_rate(
                actor=request.user,
                currency=form.cleaned_data["currency"],
                base=form.cleaned_data["base"],
                rate=form.cleaned_data["rate"],
                on=form.cleaned_data["date"],
            )
        except InvalidInput as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The rate was saved."))
            return redirect("deals:rates")
    if upload.is_bound and upload.is_valid():
        try:
            text = upload.cleaned_data["file"].read().decode("utf-8-sig")
            saved = money.import_exchange_rates(actor=request.user, text=text)
        except UnicodeDecodeError:
            upload.add_error("file", _("The file is not UTF-8 text."))
        except InvalidInput as exc:
            for e in exc.errors:
                row = _(" (line %(n)s)") % {"n": e.row} if e.row else ""
                upload.add_error(None, f"{e.field}{row}: {e.message}")
        else:
            messages.success(request, _("%(n)d rates were saved.") % {"n": len(saved)})
            return redirect("deals:rates")
    return render(
        request,
        "deals/rates.html",
        {
            "form": form,
            "upload": upload,
            "rates": ExchangeRate.objects.select_related("entered_by")[:200],
            "table": money.rate_table(),
        },
    )
