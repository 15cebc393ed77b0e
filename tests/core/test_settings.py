"""Settings come from AMPARO_* variables, parsed strictly, each one documented.

Each case imports amparo.settings in a fresh interpreter with its own environment,
because the module reads the environment once, at import.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s" * 40
REPORT = (
    "import json, amparo.settings as s; "
    "print(json.dumps({'secret': s.SECRET_KEY, 'debug': s.DEBUG, 'db': s.DATABASES['default'], "
    "'max_body': s.MAX_BODY_BYTES, 'secure_cookies': s.SESSION_COOKIE_SECURE, "
    "'data_dir': str(s.DATA_DIR)}, default=str))"
)


def import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AMPARO_") and k != "DJANGO_SETTINGS_MODULE"
    }
    clean["AMPARO_DATA_DIR"] = str(tmp_path / "data")
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def loaded(tmp_path: Path, **env: str) -> dict[str, Any]:
    result = import_settings(tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(tmp_path: Path, **env: str) -> str:
    result = import_settings(tmp_path, **env)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path: Path) -> None:
    error = refused(tmp_path, AMPARO_ENV="production")

    assert "AMPARO_SECRET_KEY" in error


def test_a_short_secret_key_refuses_to_start(tmp_path: Path) -> None:
    error = refused(tmp_path, AMPARO_ENV="production", AMPARO_SECRET_KEY="too-short-a-secret")

    assert "AMPARO_SECRET_KEY" in error


def test_production_with_a_secret_key_starts_with_secure_cookies(tmp_path: Path) -> None:
    settings = loaded(tmp_path, AMPARO_ENV="production", AMPARO_SECRET_KEY=SECRET)

    assert settings["secret"] == SECRET
    assert settings["secure_cookies"] is True


def test_the_secret_key_is_read_from_the_file_named_by_secret_key_file(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(f"{SECRET}\n", encoding="utf-8")

    settings = loaded(tmp_path, AMPARO_ENV="production", AMPARO_SECRET_KEY_FILE=str(secret_file))

    assert settings["secret"] == SECRET


def test_an_unreadable_secret_key_file_refuses_to_start(tmp_path: Path) -> None:
    error = refused(
        tmp_path, AMPARO_ENV="production", AMPARO_SECRET_KEY_FILE=str(tmp_path / "missing")
    )

    assert "AMPARO_SECRET_KEY_FILE" in error


def test_development_keeps_one_generated_secret_per_data_directory(tmp_path: Path) -> None:
    first = loaded(tmp_path, AMPARO_ENV="development")
    second = loaded(tmp_path, AMPARO_ENV="development")

    assert len(first["secret"]) >= 32
    assert first["secret"] == second["secret"]
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0


def test_an_unknown_environment_refuses_to_start(tmp_path: Path) -> None:
    assert "AMPARO_ENV" in refused(tmp_path, AMPARO_ENV="staging")


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_a_malformed_boolean_refuses_to_start(tmp_path: Path, value: str) -> None:
    error = refused(tmp_path, AMPARO_DEBUG=value)

    assert "AMPARO_DEBUG" in error
    assert value in error


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("0", False), ("", False)])
def test_a_well_formed_boolean_is_read(tmp_path: Path, value: str, expected: bool) -> None:
    assert loaded(tmp_path, AMPARO_DEBUG=value)["debug"] is expected


@pytest.mark.parametrize("value", ["abc", "1.5", "10"])  # "10" is below the minimum
def test_a_malformed_or_too_small_integer_refuses_to_start(tmp_path: Path, value: str) -> None:
    assert "AMPARO_MAX_BODY_BYTES" in refused(tmp_path, AMPARO_MAX_BODY_BYTES=value)


def test_a_well_formed_integer_is_read(tmp_path: Path) -> None:
    assert loaded(tmp_path, AMPARO_MAX_BODY_BYTES="65536")["max_body"] == 65536


def test_a_postgres_database_url_selects_postgresql(tmp_path: Path) -> None:
    database = loaded(tmp_path, AMPARO_DATABASE_URL="postgres://u@h/db")["db"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "db"
    assert database["HOST"] == "h"
    assert database["USER"] == "u"


def test_the_default_sqlite_database_uses_wal_immediate_transactions_and_a_timeout(
    tmp_path: Path,
) -> None:
    database = loaded(tmp_path)["db"]

    assert database["ENGINE"] == "amparo.core.sqlite"
    assert Path(database["NAME"]).parent == (tmp_path / "data").resolve()
    options = database["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] > 0


def test_every_amparo_setting_in_the_code_is_documented() -> None:
    """Fails until docs/configuration.md lists every AMPARO_* name the code reads."""
    names: set[str] = set()
    for source in (ROOT / "amparo").rglob("*.py"):
        names.update(re.findall(r"AMPARO_[A-Z0-9_]+", source.read_text(encoding="utf-8")))
    assert names, "no AMPARO_* names found in the code"
    docs = ROOT / "docs" / "configuration.md"
    assert docs.exists(), f"{docs.relative_to(ROOT)} is missing; it must document {sorted(names)}"

    documented = set(re.findall(r"AMPARO_[A-Z0-9_]+", docs.read_text(encoding="utf-8")))

    assert sorted(names - documented) == []


def test_keeping_originals_without_a_key_refuses_to_start(tmp_path: Path) -> None:
    error = refused(tmp_path, AMPARO_KEEP_ORIGINAL_DAYS="30")

    assert "AMPARO_ORIGINAL_KEYS" in error


def test_a_malformed_original_key_refuses_to_start(tmp_path: Path) -> None:
    error = refused(tmp_path, AMPARO_KEEP_ORIGINAL_DAYS="30", AMPARO_ORIGINAL_KEYS="not-a-key")

    assert "Fernet" in error


def test_keeping_originals_with_a_key_starts(tmp_path: Path) -> None:
    key = "a" * 43 + "="  # 32 bytes, url-safe base64

    loaded(tmp_path, AMPARO_KEEP_ORIGINAL_DAYS="30", AMPARO_ORIGINAL_KEYS=key)
