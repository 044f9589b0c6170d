"""Template helpers of the search app: ``{% load search_tags %}``.

``{% similar_products product %}`` renders the "similar products" block server-side (a product
page that prefers to load it later uses ``hx-get="{% url 'search:similar' product.pk %}"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.safestring import SafeString

from dualcirc.search import explain, queries

register = template.Library()


@register.simple_tag
def highlight(text: str, terms: Sequence[str]) -> SafeString:
    """``{% highlight title.text explanation.matched_terms %}``: matched terms in ``<mark>``."""
    return explain.highlight(text or "", terms or ())


@register.inclusion_tag("search/partials/similar.html", takes_context=True)
def similar_products(context: template.Context, product: Any, limit: int = 6) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    matches = queries.similar_products(user=user, product=product, limit=limit)
    return {"product": product, "matches": matches, "request": request}
