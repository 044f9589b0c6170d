"""The ``dualcirc`` command line: aliases, exit statuses, the data directory, ``python -m
dualcirc`` and the console script, and the address handling of ``dualcirc serve``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django
import pytest
from django.core.management.base import CommandError
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from dualcirc.cli import exit_status, main
from dualcirc.web.management.commands.load_demo import display_width, format_table
from dualcirc.web.management.commands.serve import site_url, split_addrport, start_task_worker

REPO = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    """A fresh shell's environment: the real settings, SQLite in a data directory of its own."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["DUALCIRC_DATA_DIR"] = str(data_dir)
    return env


def test_main_demo_alias_runs_load_demo(capsys):
    status = main(["demo", "--help"])

    out = capsys.readouterr().out
    assert status == 0
    assert "usage: dualcirc load_demo" in out
    assert "--serve" in out and "--addrport" in out


def test_main_unknown_command_returns_1(capsys):
    status = main(["no-such-command"])

    assert status == 1
    assert "Unknown command: 'no-such-command'" in capsys.readouterr().err


def test_main_command_error_returns_1_with_the_message(capsys):
    status = main(["serve", "not-a-port"])

    assert status == 1
    assert "'not-a-port' is not an address and port" in capsys.readouterr().err


def test_main_creates_the_data_directory(settings, tmp_path, capsys):
    settings.DATA_DIR = tmp_path / "nested" / "data"

    status = main(["version"])

    assert status == 0
    assert capsys.readouterr().out.strip() == django.get_version()
    assert settings.DATA_DIR.is_dir()


@pytest.mark.parametrize(
    ("code", "status"), [(None, 0), (0, 0), (2, 2), ("a message", 1)], ids=repr
)
def test_exit_status_is_what_the_interpreter_would_return(code, status, capsys):
    assert exit_status(code) == status


def test_python_dash_m_dualcirc_passes_the_exit_status_through(tmp_path):
    data_dir = tmp_path / "fresh"

    ok = subprocess.run(
        [sys.executable, "-m", "dualcirc", "version"],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )
    failed = subprocess.run(
        [sys.executable, "-m", "dualcirc", "no-such-command"],
        cwd=REPO,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert (ok.returncode, ok.stdout.strip()) == (0, django.get_version())
    assert failed.returncode == 1
    assert "Unknown command" in failed.stderr
    assert data_dir.is_dir()


def test_console_script_dualcirc_runs(tmp_path):
    script = shutil.which("dualcirc", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the package is not installed with its console script")

    result = subprocess.run(
        [script, "help", "serve"],
        env=_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0
    assert "usage: dualcirc serve [-h]" in result.stdout
    assert "addrport" in result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_http_and_stops_on_ctrl_c(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dualcirc", "serve", f"127.0.0.1:{port}"],
        cwd=REPO,
        env=_env(tmp_path / "data"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.25)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)

    assert body is not None and '"ok"' in body, output

    assert server.returncode == 0
    assert f"Serving dualcirc at http://127.0.0.1:{port}/" in output
    assert "Watching for file changes" not in output  # no autoreloader


@pytest.mark.parametrize(
    ("addrport", "expected"),
    [
        ("8000", ("127.0.0.1", "8000")),
        ("127.0.0.1:8000", ("127.0.0.1", "8000")),
        ("0.0.0.0:9000", ("0.0.0.0", "9000")),
        ("[::1]:8080", ("[::1]", "8080")),
        (":8001", ("127.0.0.1", "8001")),
    ],
)
def test_split_addrport_accepts_runservers_forms(addrport, expected):
    assert split_addrport(addrport) == expected


@pytest.mark.parametrize("addrport", ["localhost", "127.0.0.1:", "127.0.0.1:99999", "1:2:x"])
def test_split_addrport_refuses_a_bad_address_naming_it(addrport):
    with pytest.raises(CommandError, match=repr(addrport)):
        split_addrport(addrport)


def test_site_url_points_a_browser_at_this_machine_when_listening_everywhere():
    assert site_url("0.0.0.0:8000") == "http://127.0.0.1:8000/"
    assert site_url("192.168.1.5:8000") == "http://192.168.1.5:8000/"
    assert site_url("8000") == "http://127.0.0.1:8000/"


def test_format_table_aligns_chinese_text_by_display_width():
    table = format_table(["role", "organisation"], [["buyer", "杭州云选"], ["operator", "x"]])

    lines = table.splitlines()
    assert display_width("杭州云选") == 8
    assert lines[0] == "role      organisation"
    assert lines[1] == "--------  ------------"
    assert lines[2] == "buyer     杭州云选"
    assert lines[3] == "operator  x"


@task()
def add_numbers(a: int, b: int) -> int:
    return a + b


@pytest.mark.django_db(transaction=True)  # the worker thread reads with its own connection
def test_start_task_worker_runs_queued_tasks_in_a_thread(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    queued = add_numbers.enqueue(2, 3)

    background = start_task_worker(interval=0.05)
    assert background is not None
    try:
        for _ in range(400):
            try:
                row = DBTaskResult.objects.get(pk=queued.id)
            except OperationalError:  # SQLite's shared test database: the worker is writing
                time.sleep(0.05)
                continue
            if row.status == "SUCCESSFUL":
                break
            time.sleep(0.05)
    finally:
        background.stop()

    assert (row.status, row.return_value) == ("SUCCESSFUL", 5)
    assert not background.thread.is_alive()


def test_start_task_worker_starts_nothing_without_the_database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    assert start_task_worker() is None


def test_command_line_language_follows_setting_then_system_locale() -> None:
    from dualcirc.cli import command_line_language

    assert command_line_language({"DUALCIRC_LANGUAGE": "zh-hans", "LANG": "en_US.UTF-8"}) == (
        "zh-hans"
    )
    assert command_line_language({"LANG": "zh_CN.UTF-8"}) == "zh-hans"
    assert command_line_language({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert command_line_language({}) == "en"


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"DUALCIRC_LANGUAGE": "vi"}, "vi"),
        ({"DUALCIRC_LANGUAGE": "vi", "LANG": "zh_CN.UTF-8"}, "vi"),
        ({"DUALCIRC_LANGUAGE": "vi_VN.UTF-8"}, "vi"),
        ({"DUALCIRC_LANGUAGE": "zh_CN"}, "zh-hans"),
        ({"DUALCIRC_LANGUAGE": "de"}, "en"),
        ({"LANG": "vi_VN.UTF-8"}, "vi"),
        ({"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
        ({"LC_ALL": "vi_VN.UTF-8", "LANG": "zh_CN.UTF-8"}, "vi"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_command_line_language_speaks_vietnamese_for_vi(
    environ: dict[str, str], language: str
) -> None:
    from dualcirc.cli import command_line_language

    assert command_line_language(environ) == language


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DUALCIRC_LANGUAGE": "vi"}, "Không có tệp: /nowhere/catalog.csv"),
        ({"LC_ALL": "vi_VN.UTF-8"}, "Không có tệp: /nowhere/catalog.csv"),
        ({"LC_ALL": "zh_CN.UTF-8"}, "文件不存在：/nowhere/catalog.csv"),
        ({"LC_ALL": "C.UTF-8"}, "No such file: /nowhere/catalog.csv"),
    ],
)
def test_command_line_errors_are_in_the_chosen_language(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    env = {
        k: v
        for k, v in _env(tmp_path / "data").items()
        if k not in ("DUALCIRC_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    result = subprocess.run(
        [sys.executable, "-m", "dualcirc", "import", "/nowhere/catalog.csv"],
        env={**env, **environ},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert message in result.stderr
