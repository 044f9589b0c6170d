from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("todo")


home = buyer_requests = request_new = buyer_request = request_close = _todo
supplier_invitations = supplier_request = supplier_quotes = negotiation = counter_offer = _todo
accept = message = quote_state = order_list = order_detail = order_transition = _todo
order_milestone = order_payment = dashboard = rates = _todo
