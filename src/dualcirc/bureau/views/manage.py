"""Pages for what governments and the operator maintain: industrial chains and their links
(a government in its region and below), thresholds, country groups, routing rules and
support policies (the operator). Each page parses a form and calls one domain function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualcirc.bureau.domain import chains as chain_domain
from dualcirc.bureau.domain import config as config_domain
from dualcirc.bureau.forms import (
    ChainForm,
    CountryGroupForm,
    LinkForm,
    RoutingRuleForm,
    SettingsForm,
)
from dualcirc.bureau.models import (
    ChainLink,
    CountryGroup,
    IndustrialChain,
    RoutingRule,
    SupportPolicy,
    current_settings,
)
from dualcirc.bureau.policy_forms import PolicyForm
from dualcirc.bureau.views.common import managed_regions, show_errors
from dualcirc.catalog.models import Enterprise
from dualcirc.core.access import (
    AccessDenied,
    can_edit_bureau_settings,
    can_manage_in_region,
    can_use_bureau,
    require,
)
from dualcirc.core.errors import DomainError
from dualcirc.l10n import local_name


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    back: str,
    done: Callable[[Any], str],
    delete_url: str | None = None,
) -> HttpResponse:
    """Render ``form``; on a valid POST call ``save(cleaned_data)`` (a domain function) and
    go to ``done(saved object)``, or show the domain's errors on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(dict(form.cleaned_data))
        except DomainError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(done(saved))
    return render(
        request,
        "bureau/edit_form.html",
        {"form": form, "title": title, "back": back, "delete_url": delete_url},
        status=422 if form.errors else 200,
    )


def _chain(request: HttpRequest, pk: int) -> IndustrialChain:
    chain = get_object_or_404(IndustrialChain.objects.select_related("region"), pk=pk)
    if not can_manage_in_region(request.user, chain.region):
        raise AccessDenied(_("This chain is outside your jurisdiction."))
    return chain


# Chains and links -----------------------------------------------------------------------------


@login_required
def chain_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Record a chain in a region the user manages, or change one."""
    require(can_use_bureau(request.user))
    chain = _chain(request, pk) if pk else None
    form = ChainForm(request.POST or None, instance=chain, regions=managed_regions(request.user))
    return form_page(
        request, form,
        lambda data: chain_domain.save_chain(actor=request.user, chain=chain, **data),
        title=str(chain) if chain else _("Record an industrial chain"),
        back=reverse("bureau:chain", args=[chain.pk]) if chain else reverse("bureau:chains"),
        done=lambda saved: reverse("bureau:chain", args=[saved.pk]),
    )  # fmt: skip


@login_required
def link_edit(request: HttpRequest, pk: int, link_pk: int | None = None) -> HttpResponse:
    """Add a link to a chain or change one, with the local enterprises on it."""
    chain = _chain(request, pk)
    link = get_object_or_404(ChainLink, pk=link_pk, chain=chain) if link_pk else None
    local = (
        Enterprise.objects.filter(region__path__startswith=chain.region.path)
        .select_related("region")
        .order_by("name_zh", "pk")
    )
    form = LinkForm(request.POST or None, instance=link, enterprises=local)

    def save(data: dict[str, Any]) -> ChainLink:
        members = list(data.pop("enterprises"))
        return chain_domain.save_link(
            actor=request.user, chain=chain, link=link, enterprises=members, **data
        )

    chain_url = reverse("bureau:chain", args=[chain.pk])
    return form_page(
        request, form, save,
        title=f"{chain} · {link}" if link else _("Add a link to %(chain)s") % {"chain": chain},
        back=chain_url, done=lambda _saved: chain_url,
        delete_url=reverse("bureau:link-delete", args=[chain.pk, link.pk]) if link else None,
    )  # fmt: skip


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    chain = _chain(request, pk)
    link = get_object_or_404(ChainLink.objects.select_related("chain__region"), pk=link_pk,
                             chain=chain)  # fmt: skip
    chain_domain.delete_link(actor=request.user, link=link)
    messages.success(request, _("The link is removed."))
    return redirect("bureau:chain", pk=chain.pk)


# The operator's settings ----------------------------------------------------------------------


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Thresholds and time limits (a form), with the country groups, routing rules and
    support policies to edit."""
    require(can_edit_bureau_settings(request.user))
    form = SettingsForm(request.POST or None, instance=current_settings())
    if request.method == "POST" and form.is_valid():
        try:
            config_domain.update_bureau_settings(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("bureau:settings")
    return render(
        request,
        "bureau/settings.html",
        {"form": form, "groups": CountryGroup.objects.all(), "rules": RoutingRule.objects.all(),
         "policies": SupportPolicy.objects.select_related("region")},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _operator_form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    title: str,
    delete_url: str | None = None,
) -> HttpResponse:
    require(can_edit_bureau_settings(request.user))
    back = reverse("bureau:settings")
    return form_page(request, form, save, title=title, back=back, done=lambda _s: back,
                     delete_url=delete_url)  # fmt: skip


@login_required
def policy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    policy = get_object_or_404(SupportPolicy, pk=pk) if pk else None
    form = PolicyForm(request.POST or None, instance=policy)
    return _operator_form_page(
        request, form,
        lambda data: config_domain.save_policy(actor=request.user, policy=policy, **data),
        title=policy.title if policy else _("Add a support policy"),
    )  # fmt: skip


@login_required
def country_group_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    group = get_object_or_404(CountryGroup, pk=pk) if pk else None
    form = CountryGroupForm(request.POST or None, instance=group)
    return _operator_form_page(
        request, form,
        lambda data: config_domain.save_country_group(actor=request.user, group=group, **data),
        title=local_name(group) if group else _("Add a country group"),
    )  # fmt: skip


@login_required
def routing_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    form = RoutingRuleForm(request.POST or None, instance=rule)
    return _operator_form_page(
        request, form,
        lambda data: config_domain.save_routing_rule(actor=request.user, rule=rule, **data),
        title=str(rule) if rule else _("Add a routing rule"),
        delete_url=reverse("bureau:routing-delete", args=[rule.pk]) if rule else None,
    )  # fmt: skip


@login_required
@require_POST
def routing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    config_domain.delete_routing_rule(actor=request.user, rule=rule)
    messages.success(request, _("The routing rule is removed."))
    return redirect("bureau:settings")
