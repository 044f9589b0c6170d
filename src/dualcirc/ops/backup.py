"""Back up and restore everything dualcirc keeps: the database and the uploaded files.

A backup is one ``.tar.gz`` file:

- ``MANIFEST.json`` — format version, time, database engine, the latest migration of each app,
  and the sha256 and size of every other member;
- ``database.sqlite3`` (SQLite, written with SQLite's online backup API, consistent while the
  site runs) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``, one consistent
  snapshot);
- ``media/…`` — the uploaded files (product images, quote attachments).

The search index is not in it: it is derived data, rebuilt from the database after a restore
(``reindex``), like after any other bulk change.

Restoring replaces the database's content (SQLite: the backup API copies every page;
PostgreSQL: the ``public`` schema is dropped and ``pg_restore`` recreates it) and the media
folder, then rebuilds the search index. Restore into the same dualcirc version, then run
``dualcirc migrate`` if the code is newer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    files: int
    size: int


def _engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(alias: str) -> dict[str, str]:
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if conf.get(key):
            env[name] = str(conf[key])
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    env["PGDATABASE"] = str(conf["NAME"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools "
            f"(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    return found


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(directory: Path, alias: str) -> Path:
    engine = _engine(alias)
    connection = connections[alias]
    if engine == "sqlite":
        target = directory / SQLITE_MEMBER
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
        return target
    target = directory / POSTGRES_MEMBER
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)],
        _pg_env(alias),
    )
    return target


def _latest_migrations(alias: str) -> dict[str, str]:
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connections[alias])
    for app, name in sorted(recorder.applied_migrations()):
        latest[app] = max(latest.get(app, name), name)
    return latest


def create_backup(out: Path, *, alias: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write a backup of the database and MEDIA_ROOT to ``out`` (a .tar.gz) and return a summary.

    Reads only; safe while the site serves. The archive is written beside ``out`` under a
    temporary name and renamed when complete, so ``out`` is never half-written.
    """
    engine = _engine(alias)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="dualcirc-backup-") as tmp:
        database = _dump_database(Path(tmp), alias)
        members: dict[str, dict[str, Any]] = {
            database.name: {"sha256": _sha256(database), "size": database.stat().st_size}
        }
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        for path in media_files:
            name = "media/" + path.relative_to(media).as_posix()
            members[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "migrations": _latest_migrations(alias),
            "members": members,
        }
        manifest_path = Path(tmp) / "MANIFEST.json"
        manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), "utf-8")
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest_path, "MANIFEST.json")
            tar.add(database, database.name)
            for path in media_files:
                tar.add(path, "media/" + path.relative_to(media).as_posix())
        partial.replace(out)
    return BackupSummary(out, engine, len(media_files), out.stat().st_size)


def _extract(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack ``archive`` into ``into`` after checking every member against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths, .., links out
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} is not a dualcirc backup: {exc}") from exc
    manifest_path = into / "MANIFEST.json"
    if not manifest_path.is_file():
        raise BackupError(f"{archive} has no MANIFEST.json: not a dualcirc backup.")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: backup format {manifest.get('format')} is not {FORMAT}.")
    for name, meta in manifest["members"].items():
        path = into / name
        if not path.is_file() or _sha256(path) != meta["sha256"]:
            raise BackupError(f"{archive}: {name} is missing or damaged (checksum differs).")
    return manifest


def _restore_database(directory: Path, engine: str, alias: str) -> None:
    connection = connections[alias]
    if engine == "sqlite":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(directory / SQLITE_MEMBER) as source:
            source.backup(connection.connection)
        source.close()
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            str(connection.settings_dict["NAME"]),
            str(directory / POSTGRES_MEMBER),
        ],
        _pg_env(alias),
    )


def _restore_media(directory: Path) -> int:
    media = Path(settings.MEDIA_ROOT)
    source = directory / "media"
    media.parent.mkdir(parents=True, exist_ok=True)
    staged = media.with_name(media.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = media.with_name(media.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if media.exists():
        media.rename(old)
    staged.rename(media)
    shutil.rmtree(old, ignore_errors=True)
    return sum(1 for p in media.rglob("*") if p.is_file())


def restore_backup(archive: Path, *, alias: str = DEFAULT_DB_ALIAS, reindex: bool = True) -> int:
    """Replace the database and MEDIA_ROOT with the content of ``archive``; rebuild the index.

    Checks the whole archive (manifest, checksums, engine) before changing anything. Returns
    the number of files restored. Side effects: every table's rows, every uploaded file, the
    search index snapshot (deleted, then rebuilt by ``reindex`` in a new epoch, so running
    processes reload it).
    """
    engine = _engine(alias)
    with tempfile.TemporaryDirectory(prefix="dualcirc-restore-") as tmp:
        manifest = _extract(archive, Path(tmp))
        if manifest["engine"] != engine:
            raise BackupError(
                f"{archive} is a {manifest['engine']} backup; this site uses {engine}. "
                "Move data between engines with `dualcirc dumpdata`/`loaddata`."
            )
        _restore_database(Path(tmp), engine, alias)
        files = _restore_media(Path(tmp))
    shutil.rmtree(Path(settings.SEARCH_INDEX_DIR), ignore_errors=True)
    if reindex:
        from django.core.management import call_command

        call_command("reindex", verbosity=0)
    return files
