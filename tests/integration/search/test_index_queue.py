"""Indexing on the real database queue and its worker: a new product is found by its words
after one short task, its embedding follows in low-priority tasks, and those never hold up
the rest of the background work."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from dualcirc.bureau.tasks import refresh_alerts_task
from dualcirc.catalog import domain
from dualcirc.search import indexing
from dualcirc.search.indexing import IndexProgress, index_products, index_progress
from dualcirc.search.models import SearchDocument
from dualcirc.search.queries import search_products
from dualcirc.search.service import get_service
from dualcirc.search.tasks import EMBED_PRIORITY, embed_products_task, enqueue_embeddings
from tests.factories import make_user
from tests.factories.search import make_catalog

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RETRY_SECONDS = 0


def run_worker(*, max_tasks: int = 0) -> None:
    """``dualcirc db_worker --batch``: run queued tasks (all, or the first ``max_tasks``)."""
    extra = ["--max-tasks", str(max_tasks)] if max_tasks else []
    call_command(
        "db_worker", "--batch", "--interval", "0", "--no-startup-delay", *extra, verbosity=0
    )


def skus(query: str) -> list[str]:
    found = search_products(user=AnonymousUser(), query=query, limit=10)
    return [m.product.sku for m in found.matches]


def statuses(task_path: str) -> list[str]:
    rows = DBTaskResult.objects.filter(task_path=task_path).order_by("enqueued_at")
    return [r.status for r in rows]


def test_a_new_product_is_found_by_its_words_before_its_embedding_arrives():
    catalog = make_catalog()
    member = make_user(organisation=catalog.laixi.organisation)
    model_id = indexing.embedding_model().model_id
    product = domain.create_product(  # commits: the index task is queued in the database
        actor=member,
        enterprise=catalog.laixi,
        data={"sku": "LX-B1", "title_en": "Bamboo bunk bed", "hs_code": "940350"},
    )

    run_worker(max_tasks=1)  # the lexical task only

    assert skus("bamboo bunk bed")[0] == "LX-B1"
    assert SearchDocument.objects.get(product_id=product.pk).embedding is None
    assert index_progress() == IndexProgress(searchable=6, embedded=5, model_id=model_id)
    queued = DBTaskResult.objects.get(task_path=embed_products_task.module_path)
    assert (queued.status, queued.priority, queued.args_kwargs["args"]) == (
        TaskResultStatus.READY,
        EMBED_PRIORITY,
        [[product.pk]],
    )
    served = get_service().index().embedding(str(product.pk))
    assert float(abs(served).sum()) == 0.0  # no semantic match yet

    run_worker()  # the embedding task

    assert index_progress() == IndexProgress(searchable=6, embedded=6, model_id=model_id)
    assert float(abs(get_service().index().embedding(str(product.pk))).sum()) > 0
    assert skus("bamboo bunk bed")[0] == "LX-B1"


def test_an_alert_refresh_queued_behind_pending_embeddings_runs_before_them(monkeypatch):
    catalog = make_catalog(index=False)
    ids = [p.pk for p in catalog.published]
    index_products(ids)
    monkeypatch.setattr(indexing, "EMBED_CHUNK", 1)
    assert enqueue_embeddings(ids) == 5  # what `dualcirc demo` leaves behind, in small
    refresh_alerts_task.enqueue("2026-10")  # then figures are submitted

    run_worker(max_tasks=1)

    assert statuses(refresh_alerts_task.module_path) == [TaskResultStatus.SUCCESSFUL]
    assert statuses(embed_products_task.module_path) == [TaskResultStatus.READY] * 5

    run_worker()

    assert statuses(embed_products_task.module_path) == [TaskResultStatus.SUCCESSFUL] * 5
    assert index_progress().pending == 0


def test_the_admin_shows_how_many_products_are_embedded():
    catalog = make_catalog(index=False)
    ids = [p.pk for p in catalog.published]
    index_products(ids)
    indexing.embed_products(ids[:2])
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))

    response = client.get("/en/admin/search/searchdocument/")
    waiting = client.get("/en/admin/search/searchdocument/?embedded=no")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-embedded="2" data-searchable="5"' in page
    assert "Semantic index: 2 of 5 searchable products embedded (3 waiting)." in page
    assert waiting.status_code == 200
    waiting_ids = waiting.context["cl"].result_list.values_list("pk", flat=True)
    assert set(waiting_ids) == set(ids[2:])


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[16])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_standalone_worker_runs_below_the_web_processes_priority(settings, tmp_path):
    env = {**os.environ, "DUALCIRC_DATA_DIR": str(tmp_path), "DUALCIRC_TASK_WORKER_NICE": "7"}
    env["DUALCIRC_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    env.pop("DATABASE_URL", None)  # its own SQLite file: this test needs no tasks
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])  # the tests' settings module
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "dualcirc"), "db_worker", "--interval", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while niceness(worker.pid) == niceness(os.getpid()) and time.monotonic() < deadline:
            assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            time.sleep(0.2)

        assert niceness(worker.pid) == min(19, niceness(os.getpid()) + 7)
    finally:
        worker.terminate()
        worker.wait(30)
