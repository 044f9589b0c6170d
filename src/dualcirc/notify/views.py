"""The notification centre: the list (unread first marked) and marking as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dualcirc.notify.domain import mark_read, notifications_of, unread_count


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    qs = notifications_of(request.user, unread_only=show == "unread")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    unread = unread_count(request.user)
    # also the bell's count, so the context processor need not count the same rows again
    context = {"page": page, "show": show, "unread": unread, "unread_notifications": unread}
    return render(request, "notify/list.html", context)


@login_required
@require_POST
def mark_read_view(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    mark_read(user=request.user, ids=ids or None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notify:list")
