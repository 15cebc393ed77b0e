"""A worker killed in the middle of its work loses nothing and repeats nothing."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from procutil import amparo, wait_for

TOTAL = 4000
SENDERS = 400


def write_messages(path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(TOTAL):
            handle.write(
                json.dumps(
                    {
                        "channel": "whatsapp" if n % 2 else "sms",
                        "channel_message_id": f"crash-{n}",
                        "brand": "altamar-tiendas",
                        "from": {
                            "external_id": f"+52155501{n % SENDERS:05d}",
                            "display_name": f"Cliente {n % SENDERS}",
                        },
                        "text": f"mensaje {n}: no puedo pagar mi abono",
                    }
                )
                + "\n"
            )


def query(env: dict[str, str], sql: str) -> int:
    url = env.get("AMPARO_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return int(conn.execute(sql).fetchone()[0])
    with sqlite3.connect(Path(env["AMPARO_DATA_DIR"]) / "amparo.sqlite3", timeout=20) as conn:
        return int(conn.execute(sql).fetchone()[0])


def processed(env: dict[str, str]) -> int:
    return query(env, "SELECT count(*) FROM inbox_message WHERE state = 'processed'")


def test_killed_worker_leaves_nothing_unprocessed_or_doubled(
    app_env: dict[str, str], tmp_path: Path
) -> None:
    assert (
        amparo(
            "shell", "-c", "from amparo.core.demo import load_brands; load_brands()", env=app_env
        ).returncode
        == 0
    )
    messages = tmp_path / "messages.jsonl"
    write_messages(messages)
    # One big batch: one task holding every id, so the kill lands inside a task.
    result = amparo(
        "ingest", str(messages), "--batch-size", str(TOTAL), "--no-progress", env=app_env
    )
    assert result.returncode == 0, result.stderr
    assert f"imported {TOTAL}" in result.stdout
    assert processed(app_env) == 0  # stored durably, nothing processed yet

    worker = subprocess.Popen(
        [sys.executable, "-m", "amparo", "worker"],
        env=app_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert wait_for(lambda: processed(app_env) > 0, timeout=120, every=0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    after_crash = processed(app_env)
    assert 0 < after_crash < TOTAL, (
        "the worker must be killed half-way for this test to mean anything"
    )

    # The claimed task died with its worker; the recovery sweep finds the rest.
    restarted_env = {**app_env, "AMPARO_RECOVER_AFTER_SECONDS": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "amparo", "worker"],
        env=restarted_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: processed(app_env) == TOTAL, timeout=180)
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0  # a graceful stop

    assert query(app_env, "SELECT count(*) FROM inbox_message") == TOTAL
    assert query(app_env, "SELECT count(*) FROM core_customer") == SENDERS
    # One customer per number, one conversation per customer and channel.
    assert query(app_env, "SELECT count(*) FROM core_channelidentity") == SENDERS
    assert query(app_env, "SELECT count(*) FROM inbox_conversation") == SENDERS
    assert query(app_env, "SELECT count(*) FROM inbox_message WHERE conversation_id IS NULL") == 0
