"""Liveness (the process answers) and readiness (the database answers, migrations applied).

A load balancer sends traffic only to ready servers; an orchestrator restarts servers that are
not live. Neither touches the session or the cache, and both answer in a few milliseconds.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse

# Aliases found fully migrated, with the number of applied migrations they had then. The full
# migration plan is computed once; each later check counts the applied migrations (one query),
# so a schema dropped or rolled back under a running server turns it unready at once.
_migrated: dict[str, int] = {}


def _applied_count(alias: str) -> int:
    """Rows of ``django_migrations``; raises DatabaseError when the table is gone."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """``app.name`` of every migration the database lacks (empty when it is up to date)."""
    known = _migrated.get(alias)
    if known is not None and _applied_count(alias) >= known:
        return []
    _migrated.pop(alias, None)
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    missing = [f"{m.app_label}.{m.name}" for m, _backwards in plan]
    if not missing:
        _migrated[alias] = _applied_count(alias)
    return missing


def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def ready(request: HttpRequest) -> JsonResponse:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        missing = unapplied_migrations()
    except Exception as exc:  # any database failure means "not ready"
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable", "error": str(exc)[:200]},
            status=503,
        )
    if missing:
        return JsonResponse(
            {"status": "unavailable", "database": "ok", "unapplied_migrations": missing[:20]},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
