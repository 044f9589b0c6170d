"""``dualcirc reindex``: rebuild the search index from the catalog.

The index is derived data: this reconciles the change feed with every published product,
embeds the passages that lack an embedding of the current model (from the cache when the
text is unchanged), starts a new feed epoch so that
every server process reloads its index, and writes a fresh on-disk snapshot. Run it after
changing the embedding model or restoring a database backup; it is safe while serving.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dualcirc.search.indexing import bump_epoch, rebuild_search_documents
from dualcirc.search.service import get_service


class Command(BaseCommand):
    help = "Rebuild the search index from the catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="products per transaction")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.perf_counter()
        rebuilt = rebuild_search_documents(batch=max(1, opts["batch"]))
        epoch = bump_epoch()
        service = get_service()
        service.reset()
        size = len(service.index())  # rebuilt from the feed: the new epoch has no snapshot
        saved = service.snapshot_seq() == service.applied_seq or service.save_snapshot()
        self.stdout.write(
            f"search index: {size} products, {rebuilt.documents} documents changed, "
            f"{rebuilt.embedded} embedded, epoch {epoch}, "
            f"snapshot {'written' if saved else 'NOT written'}, "
            f"{time.perf_counter() - started:.1f} s"
        )
