"""Real amparo processes (`amparo serve`, `amparo worker`) on their own database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from procutil import amparo


@pytest.fixture
def app_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for amparo subprocesses, with a migrated database of their own."""
    env = {**os.environ, "AMPARO_ENV": "test", "AMPARO_DATA_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    url = os.environ.get("AMPARO_DATABASE_URL", "")
    dbname = None
    if url.startswith("postgres"):
        import psycopg

        dbname = f"amparo_proc_{uuid.uuid4().hex[:8]}"
        server = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        env["AMPARO_DATABASE_URL"] = f"{server}/{dbname}"
    result = amparo("migrate", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    yield env
    if dbname:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
