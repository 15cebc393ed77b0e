"""Run the whole suite: on SQLite, on a throwaway PostgreSQL cluster, then in Chromium.

`make test` calls this. The PostgreSQL cluster is created in a temporary directory,
run by the unprivileged `postgres` user on 127.0.0.1, and removed at the end, even
when the tests fail. The last line is the total, `total: N passed, N failed`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = int(os.environ.get("AMPARO_TEST_PG_PORT", "5433"))
NO_TESTS = 5  # pytest's exit code when nothing was collected


@contextmanager
def postgres_cluster(fsync: bool = False) -> Iterator[str]:
    """A fresh PostgreSQL 15 cluster on 127.0.0.1; yields its database URL.

    fsync is off for tests (speed) and on for benchmarks that claim durability.
    """
    if not (PG_BIN / "initdb").exists():
        raise SystemExit("PostgreSQL 15 is not installed: run `make system-deps`")
    base = Path(tempfile.mkdtemp(prefix="amparo-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(base, "postgres", "postgres")
    data, log = base / "data", base / "log"

    def run(*args: str) -> None:
        subprocess.run([*as_postgres, *args], check=True, stdout=subprocess.DEVNULL)

    try:
        run(
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-N",
        )
        run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {PG_PORT} -h 127.0.0.1 -k {base} -c fsync={'on' if fsync else 'off'} -c max_connections=200",
            "start",
        )
        run(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(PG_PORT),
            "-U",
            "postgres",
            "amparo",
        )
        yield f"postgres://postgres@127.0.0.1:{PG_PORT}/amparo"
    finally:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)


def pytest(phase: str, marker: str, extra_env: dict[str, str]) -> tuple[int, int, int]:
    """Run one phase; returns (exit code, passed, failed)."""
    report = Path(tempfile.mkdtemp(prefix="amparo-junit-")) / f"{phase}.xml"
    data_dir = tempfile.mkdtemp(prefix=f"amparo-test-{phase}-")
    env = {**os.environ, "AMPARO_ENV": "test", "AMPARO_DATA_DIR": data_dir, **extra_env}
    print(f"\n=== amparo tests: {phase} ===", flush=True)
    code = subprocess.call(
        [
            sys.executable,
            "-m",
            "pytest",
            "-m",
            marker,
            f"--junitxml={report}",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        env=env,
    )
    shutil.rmtree(data_dir, ignore_errors=True)
    if code == NO_TESTS:
        print(f"amparo tests: the {phase} phase collected no tests; that is a failure here")
        return code, 0, 1
    passed, failed = count(report)
    return code, passed, failed


def count(report: Path) -> tuple[int, int]:
    if not report.exists():
        return 0, 1
    suite = ET.parse(report).getroot()  # noqa: S314 (our own pytest report)
    suites = [suite] if suite.tag == "testsuite" else list(suite)
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres", "browser"])
    only = parser.parse_args().only
    started = time.monotonic()
    # One trained topic model for every phase (and the processes they start).
    os.environ.setdefault("AMPARO_MODEL_DIR", tempfile.mkdtemp(prefix="amparo-models-"))
    results: list[tuple[str, int, int, int]] = []
    if only in (None, "sqlite"):
        results.append(("sqlite", *pytest("sqlite", "not browser", {})))
    if only in (None, "postgres"):
        with postgres_cluster() as url:
            results.append(
                ("postgres", *pytest("postgres", "not browser", {"AMPARO_DATABASE_URL": url}))
            )
    if only in (None, "browser"):
        results.append(("browser", *pytest("browser", "browser", {})))
    print(f"\n=== amparo tests: summary ({time.monotonic() - started:.0f} s) ===")
    for phase, code, passed, failed in results:
        print(f"{phase:>9}: {passed} passed, {failed} failed (pytest exit {code})")
    total_passed = sum(r[2] for r in results)
    total_failed = sum(r[3] for r in results)
    bad = any(r[1] != 0 for r in results) or total_failed
    print(f"total: {total_passed} passed, {total_failed} failed", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
