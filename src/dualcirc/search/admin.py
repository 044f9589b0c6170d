"""The operator watches the search index here: the change feed and how far the dense side is.

The feed is derived data written only by ``search.indexing`` (``dualcirc reindex`` rebuilds
it), so these pages only show. The feed's list says how many searchable products are embedded
by the serving model: a new catalog is searchable by its words at once and gains semantic
matching as the low-priority embedding tasks get through it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from dualcirc.search.indexing import embedding_model, index_progress
from dualcirc.search.models import SearchDocument


class EmbeddedFilter(admin.SimpleListFilter):
    title = _("semantic index")
    parameter_name = "embedded"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("embedded")), ("no", _("waiting for its embedding"))]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[SearchDocument]
    ) -> QuerySet[SearchDocument]:
        model_id = embedding_model().model_id
        if self.value() == "yes":
            return queryset.filter(model_id=model_id)
        if self.value() == "no":
            return queryset.filter(deleted=False).exclude(model_id=model_id)
        return queryset


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin[SearchDocument]):
    list_display = ("product_id", "sku", "seq", "deleted", "is_embedded", "updated_at")
    list_filter = ("deleted", EmbeddedFilter)
    search_fields = ("=product_id",)
    ordering = ("-seq",)
    show_full_result_count = False
    fields = ("product_id", "enterprise_id", "seq", "deleted", "model_id", "payload", "updated_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SearchDocument]:
        return super().get_queryset(request).defer("embedding")

    @admin.display(description=_("SKU"))
    def sku(self, obj: SearchDocument) -> str:
        return str(obj.payload.get("sku", "")) if obj.payload else ""

    @admin.display(description=_("embedded"), boolean=True)
    def is_embedded(self, obj: SearchDocument) -> bool | None:
        return None if obj.deleted else obj.model_id == embedding_model().model_id

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = {**(extra_context or {}), "index_progress": index_progress()}
        return super().changelist_view(request, extra_context=context)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
