"""Scratch PostgreSQL databases for the benchmarks (server on 127.0.0.1:5432, user postgres,
trust authentication — the same server the tests use)."""

from __future__ import annotations

import sys

import psycopg

PG_DSN = "postgres://postgres@127.0.0.1:5432"


def create_database(name: str, *, template: str | None = None) -> None:
    """(Re)create the database ``name``, empty or as a copy of ``template``; drops any
    database of that name first."""
    drop_database(name)
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(f"{PG_DSN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')


def drop_database(name: str) -> None:
    """Drop ``name`` if it exists, closing the connections still open to it."""
    with psycopg.connect(f"{PG_DSN}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_database(name: str) -> str | None:
    """A fresh empty database ``name``; None (and a line on stderr) when no PostgreSQL
    answers, so that a benchmark can skip its PostgreSQL half."""
    try:
        create_database(name)
    except psycopg.Error as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None
    return name
