"""The production server's command line (ops.server.gunicorn_argv) under real gunicorn: each
worker warms up as it starts (ops.gunicorn_hooks) and logs it, and then serves searches."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

# Starts gunicorn as `dualcirc serve` does in production, with one worker.
START = """
import os, sys, django
django.setup()
from dualcirc.ops.server import gunicorn_argv
argv = gunicorn_argv("127.0.0.1", sys.argv[1])
argv[argv.index("--workers") + 1] = "1"
os.execv(argv[0], argv)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(data_dir: Path, warm: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "dualcirc.settings",
        "DUALCIRC_DATA_DIR": str(data_dir),
        "DUALCIRC_WARM_UP": warm,
        "DUALCIRC_LOG_LEVEL": "INFO",
    }


def _serve(tmp_path: Path, warm: str) -> tuple[str, str]:
    """Migrate a fresh SQLite database, start gunicorn, wait until it answers (and, warm-up
    on, until the worker says it is warm), ask one search; returns (search page, log). (The
    warm-up off is tested in-process: tests/integration/search/test_warm_up.py.)"""
    env = _env(tmp_path / "data", warm)
    subprocess.run([sys.executable, "-m", "dualcirc", "migrate", "-v", "0"], env=env, check=True)
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", START, str(port)], cwd=REPO, env=env, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            log_text = log_path.read_text()
            if warm == "0" or "warmed up in" in log_text:
                try:
                    with urllib.request.urlopen(base + "/health/live", timeout=2):
                        break
                except OSError:
                    pass
            assert server.poll() is None, log_text
            time.sleep(0.25)
        with urllib.request.urlopen(base + "/en/search/?q=cotton+towels", timeout=60) as r:
            page = r.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return page, log_path.read_text()


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs on a SQLite database of its own: the SQLite run of the suite covers it",
)
def test_each_worker_warms_up_as_it_starts_then_serves(tmp_path):
    page, log = _serve(tmp_path, "1")
    assert "warmed up in" in log and "warm-up failed" not in log, log
    assert "cotton towels" in page
