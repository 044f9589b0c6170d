"""Settings from the environment or a configuration file; production refusals; every setting
documented."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from dualcirc.ops.config import Config, parse_config_file
from dualcirc.ops.production import DEV_SECRET_KEY, configuration_problems

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "src" / "dualcirc" / "settings.py"
OPERATIONS = ROOT / "docs" / "operations.md"
GOOD_KEY = "k" * 50


def _names_read_by_settings() -> set[str]:
    """Every configuration name settings.py reads: the first argument of CONFIG(...),
    CONFIG.flag/integer/words(...)."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text("utf-8"))):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            target = func.value if isinstance(func, ast.Attribute) else func
            if isinstance(target, ast.Name) and target.id == "CONFIG":
                names.add(str(node.args[0].value))
    return names


def test_every_setting_read_by_settings_is_documented_in_operations() -> None:
    from django.conf import settings

    names = _names_read_by_settings() | settings.CONFIG.names_read
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", OPERATIONS.read_text("utf-8"), re.M))

    assert len(names) > 25
    assert sorted(names - documented) == []


def test_settings_read_no_variable_behind_the_configuration_object() -> None:
    source = SETTINGS.read_text("utf-8")

    assert "os.environ" not in source
    assert "getenv" not in source


def test_config_prefers_the_environment_over_the_file(tmp_path: Path) -> None:
    file = tmp_path / "dualcirc.env"
    file.write_text(
        "# comment\n\nDUALCIRC_DEBUG=0\nexport DUALCIRC_ALLOWED_HOSTS='a.example, b.example'\n"
        'DUALCIRC_LOG_LEVEL="WARNING"\n'
    )
    config = Config({"DUALCIRC_CONFIG_FILE": str(file), "DUALCIRC_LOG_LEVEL": "DEBUG"})

    assert config.flag("DUALCIRC_DEBUG", True) is False
    assert config.words("DUALCIRC_ALLOWED_HOSTS", "") == ["a.example", "b.example"]
    assert config("DUALCIRC_LOG_LEVEL", "INFO") == "DEBUG"
    assert config("DUALCIRC_UNSET", "fallback") == "fallback"
    assert config.names_read >= {"DUALCIRC_DEBUG", "DUALCIRC_LOG_LEVEL", "DUALCIRC_UNSET"}


def test_config_file_with_a_bad_line_names_the_line(tmp_path: Path) -> None:
    file = tmp_path / "dualcirc.env"
    file.write_text("DUALCIRC_DEBUG=0\nthis is not a setting\n")

    with pytest.raises(ImproperlyConfigured, match="line 2"):
        parse_config_file(file)


@pytest.mark.parametrize(
    ("method", "value", "message"),
    [("flag", "maybe", "expected 1 or 0"), ("integer", "two", "whole number")],
)
def test_config_bad_values_are_refused_with_the_name(method: str, value: str, message: str) -> None:
    config = Config({"DUALCIRC_X": value})

    with pytest.raises(ImproperlyConfigured, match=f"DUALCIRC_X.*{message}"):
        getattr(config, method)("DUALCIRC_X", 1)


def test_policy_written_as_a_header_becomes_django_csp_directives() -> None:
    config = Config(
        {
            "DUALCIRC_CSP": " default-src 'self';img-src 'self' data: ; ; frame-ancestors 'none';",
            "DUALCIRC_TWICE": "img-src 'self'; IMG-SRC data:",
            "DUALCIRC_BLANK": " ",
        }
    )

    assert config.policy_directives("DUALCIRC_CSP", "") == {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
    }
    assert config.policy_directives("DUALCIRC_BLANK", "default-src 'self'") == {}
    with pytest.raises(ImproperlyConfigured, match=r"DUALCIRC_TWICE.*'img-src' appears twice"):
        config.policy_directives("DUALCIRC_TWICE", "")


def test_production_problems_name_secret_debug_sqlite_and_hosts() -> None:
    problems = configuration_problems(
        secret_key=DEV_SECRET_KEY,
        debug=True,
        database_engine="django.db.backends.sqlite3",
        allowed_hosts=["*"],
    )

    assert [p.split(" ")[0] for p in problems] == [
        "DUALCIRC_SECRET_KEY",
        "DUALCIRC_DEBUG",
        "The",
        "DUALCIRC_ALLOWED_HOSTS",
    ]
    assert "SQLite" in problems[2]


def test_production_problems_empty_for_a_good_configuration() -> None:
    problems = configuration_problems(
        secret_key=GOOD_KEY,
        debug=False,
        database_engine="django.db.backends.postgresql",
        allowed_hosts=["trade.example.gov.cn"],
    )

    assert problems == []


def test_cli_refuses_production_with_defaults_and_says_why(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DUALCIRC_ENV": "production",
        "DUALCIRC_DATA_DIR": str(tmp_path),
        "DUALCIRC_LANGUAGE": "en",
    }

    done = subprocess.run(
        [sys.executable, "-m", "dualcirc", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert done.returncode == 2
    assert "refuses to start in production mode" in done.stderr
    assert "DUALCIRC_SECRET_KEY is not set" in done.stderr
    assert "The database is SQLite" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_defaults_turn_on_secure_cookies_hsts_and_json_logs(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.LOG_FORMAT,"
        " s.PAGE_CACHE_SECONDS, 'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "dualcirc.settings",
        "DUALCIRC_ENV": "production",
        "DUALCIRC_SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": "postgres://dualcirc@127.0.0.1:5432/dualcirc",
        "DUALCIRC_ALLOWED_HOSTS": "trade.example.gov.cn",
        "DUALCIRC_DATA_DIR": str(tmp_path),
    }

    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        check=False,
    )

    assert done.stdout.split() == ["False", "True", "31536000", "json", "30", "True"], done.stderr
