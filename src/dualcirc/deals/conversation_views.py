"""Pages of the "Contact supplier" threads: open one (one click from a product or company
page), read and write in it (htmx swaps the messages in place), turn it into a quotation
request, and the list of one's threads.

Strangers to a thread get 404 (no hint that it exists); each write is one
deals.domain.conversations call.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import AccessDenied
from dualcirc.core.errors import Conflict, DomainError, InvalidInput
from dualcirc.core.forms import SanitizedForm, add_domain_errors
from dualcirc.deals.domain.conversations import (
    can_request_quote_from_conversation,
    can_view_conversation,
    conversation_counterpart,
    conversation_parties,
    conversations_for,
    open_conversation,
    post_conversation_message,
    quote_request_initial,
    request_quote_from_conversation,
)
from dualcirc.deals.enums import Party
from dualcirc.deals.forms import CURRENCY_CHOICES
from dualcirc.deals.models import Conversation
from dualcirc.deals.prefill import product_for_request


class ConversationMessageForm(SanitizedForm):
    body = forms.CharField(
        label=gettext_lazy("Your message"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ConversationQuoteForm(SanitizedForm):
    """The few terms asked for when a thread becomes a quotation request."""

    quantity = forms.DecimalField(label=gettext_lazy("Quantity"), required=False, min_value=0)
    unit = forms.CharField(label=gettext_lazy("Unit"), required=False, max_length=20)
    target_price = forms.DecimalField(
        label=gettext_lazy("Target unit price"), required=False, min_value=0
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=CURRENCY_CHOICES)
    destination_country = forms.CharField(
        label=gettext_lazy("Destination country"), max_length=2, help_text="CN, DE, VN …"
    )


def _conversation(request: HttpRequest, pk: int) -> Conversation:
    conversation = get_object_or_404(
        Conversation.objects.select_related("buyer", "supplier", "product", "sourcing_request"),
        pk=pk,
    )
    if not can_view_conversation(request.user, conversation):
        raise Http404(_("There is no conversation with this id."))
    return conversation


@login_required
@require_POST
def contact_supplier(request: HttpRequest, enterprise_pk: int) -> HttpResponse:
    """Open (or reopen) the thread with this supplier, about ``product`` when posted."""
    supplier = get_object_or_404(Enterprise, pk=enterprise_pk)
    product = product_for_request(request.user, request.POST.get("product"))
    conversation = open_conversation(actor=request.user, supplier=supplier, product=product)
    return redirect("deals:conversation", pk=conversation.pk)


def _render_thread(
    request: HttpRequest,
    conversation: Conversation,
    *,
    message_form: ConversationMessageForm | None = None,
    quote_form: ConversationQuoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_buyer = Party.BUYER.value in conversation_parties(request.user, conversation)
    if quote_form is None and can_request_quote_from_conversation(request.user, conversation):
        quote_form = ConversationQuoteForm(initial=quote_request_initial(conversation))
    context = {
        "conversation": conversation,
        "thread_messages": list(conversation.messages.select_related("author")),
        "message_form": message_form or ConversationMessageForm(),
        "quote_form": quote_form,
        "is_buyer": is_buyer,
        "counterpart": conversation_counterpart(request.user, conversation),
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "deals/_conversation_messages.html", context)
    return render(request, "deals/conversation.html", context, status=status)


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_thread(request, _conversation(request, pk))


@login_required
@require_POST
def conversation_message(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _conversation(request, pk)
    form = ConversationMessageForm(request.POST)
    if form.is_valid():
        try:
            post_conversation_message(
                actor=request.user, conversation=thread, body=form.cleaned_data["body"]
            )
        except (DomainError, AccessDenied) as exc:
            if isinstance(exc, InvalidInput) and exc.errors:
                add_domain_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            if request.headers.get("HX-Request") == "true":
                return _render_thread(request, thread)
            return redirect("deals:conversation", pk=thread.pk)
    return _render_thread(request, thread, message_form=form, status=422)


@login_required
@require_POST
def conversation_quote(request: HttpRequest, pk: int) -> HttpResponse:
    """One step from the thread to a sourcing request sent to this supplier."""
    thread = _conversation(request, pk)
    form = ConversationQuoteForm(request.POST)
    if form.is_valid():
        try:
            rfq = request_quote_from_conversation(
                actor=request.user, conversation=thread, data=form.cleaned_data
            )
        except Conflict as exc:  # asked already (another tab): that request
            messages.info(request, str(exc))
            return redirect("deals:buyer-request", pk=thread.sourcing_request_id)
        except InvalidInput as exc:
            add_domain_errors(form, exc)
        else:
            return redirect("deals:buyer-request", pk=rfq.pk)
    return _render_thread(request, thread, quote_form=form, status=422)


@login_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deals/conversations.html",
        {"conversations": conversations_for(request.user)[:200]},
    )
