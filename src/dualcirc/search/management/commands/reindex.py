"""``dualcirc reindex``: rebuild the search index from the catalog.

The index is derived data: this reconciles the change feed with every published product
(embeddings come from the cache when the text is unchanged) and rewrites the snapshot.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dualcirc.search.indexing import rebuild_search_documents
from dualcirc.search.service import get_service


class Command(BaseCommand):
    help = "Rebuild the search index from the catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        changed = rebuild_search_documents(batch=opts["batch"])
        service = get_service()
        service.reset()
        size = len(service.index())
        self.stdout.write(
            f"search index: {size} products, {changed} changed, "
            f"{time.perf_counter() - started:.1f} s"
        )
