"""Ingestion benchmark: messages/s accepted and processed, and accept latency.

Two paths, on SQLite and on PostgreSQL (a throwaway cluster with fsync on, so the
figures include real commits):
  1. `amparo ingest FILE.jsonl`, then `amparo worker --once` to process the queue;
  2. `POST /api/v1/messages` from N concurrent keep-alive clients against
     `amparo serve --no-worker`, then the worker drains the one-task-per-message queue.

    .venv/bin/python benchmarks/ingest.py [--messages 20000] [--requests 5000]
        [--clients 100] [--only sqlite|postgres]

The load generator runs on the same machine as the server (2 cores here), so the API
figures are a floor. With closed-loop clients, latency = clients / throughput
(Little's law): p99 at 100 clients stays under 50 ms only above ~2,000 accepted/s.
So the API is also measured paced: 100 clients together offering --rate messages/s
(default 100), latency counted from each request's scheduled time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# One trained topic model for both databases (training is not what is measured).
MODEL_DIR = Path(tempfile.mkdtemp(prefix="amparo-bench-models-"))
sys.path.insert(0, str(ROOT))

from scripts.run_tests import postgres_cluster  # noqa: E402

TEXTS = [
    "no puedo pagar mi abono desde la app, ya valió",
    "the app says error 500 when I try to log in, srsly",
    "האפליקציה לא עובדת מהבוקר, אני לא יכול לשלם",
    "me siguen llamando de cobranza y la app no sirve!!!",
    "my card got declined at the store and the balance looks wrong",
]


def message(n: int, prefix: str) -> dict[str, object]:
    return {
        "channel": ("whatsapp", "sms", "webchat", "email")[n % 4],
        "channel_message_id": f"{prefix}-{n}",
        "brand": "altamar-tiendas" if n % 3 else "banco-altamar",
        "from": {"external_id": f"+52155{n % 5000:08d}", "display_name": f"Cliente {n % 5000}"},
        "text": TEXTS[n % len(TEXTS)],
    }


def amparo(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "amparo", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"amparo {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def count_processed(env: dict[str, str]) -> str:
    return amparo(
        env,
        "shell",
        "-v0",
        "-c",
        "from amparo.inbox.models import Message;"
        "print(Message.objects.filter(state='processed').count(), Message.objects.count())",
    ).strip()


def prepare(env: dict[str, str]) -> str:
    amparo(env, "migrate", "-v0")
    print("  … training (or loading) the topic model, outside the measurements", flush=True)
    amparo(env, "triage", "train")
    amparo(env, "shell", "-c", "from amparo.core.demo import load_brands; load_brands()")
    return amparo(env, "token", "create", "--name", "bench", "--scope", "messages:write").strip()


def timed(label: str, env: dict[str, str], *args: str) -> float:
    print(f"  … {label}", flush=True)
    started = time.perf_counter()
    amparo(env, *args)
    return time.perf_counter() - started


def timed_workers(env: dict[str, str], workers: int) -> float:
    """Seconds for `workers` concurrent `amparo worker --once` to drain the queue."""
    print(f"  … {workers} × amparo worker --once (processing)", flush=True)
    started = time.perf_counter()
    processes = [
        subprocess.Popen([sys.executable, "-m", "amparo", "worker", "--once"], env=env)
        for _ in range(workers)
    ]
    if any(process.wait() != 0 for process in processes):
        raise SystemExit("a worker failed")
    return time.perf_counter() - started


def bench_cli(env: dict[str, str], count: int, workdir: Path, workers: int) -> dict[str, float]:
    path = workdir / "messages.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(json.dumps(message(n, "cli"), ensure_ascii=False) + "\n")
    accept = timed(f"amparo ingest {count} messages", env, "ingest", str(path), "--no-progress")
    process = timed_workers(env, workers)
    print(f"  processed/total: {count_processed(env)}")
    return {
        "accepted_per_s": count / accept,
        "processed_per_s": count / process,
        "end_to_end_per_s": count / (accept + process),
    }


async def client(
    host: str,
    port: int,
    token: str,
    jobs: list[int],
    latencies: list[float],
    prefix: str,
    interval: float | None,
) -> None:
    """Closed loop (interval None: the next request when the answer arrives) or paced
    (one request every `interval` s; latency counted from the scheduled time, so a
    server that falls behind is not flattered by the client waiting for it)."""
    reader, writer = await asyncio.open_connection(host, port)
    loop = asyncio.get_running_loop()
    first = loop.time() + (random.random() * interval if interval else 0)  # noqa: S311
    try:
        for k, n in enumerate(jobs):
            body = json.dumps(message(n, prefix), ensure_ascii=False).encode()
            head = (
                f"POST /api/v1/messages HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            if interval:
                scheduled = first + k * interval
                await asyncio.sleep(max(0.0, scheduled - loop.time()))
                started = time.perf_counter() - max(0.0, loop.time() - scheduled)
            else:
                started = time.perf_counter()
            writer.write(head + body)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b" 202 " not in status_line:
                raise RuntimeError(f"unexpected answer {status_line!r}")
    finally:
        writer.close()


async def load(
    port: int, token: str, requests: int, clients: int, prefix: str, rate: float | None = None
) -> tuple[float, list[float]]:
    interval = clients / rate if rate else None
    latencies: list[float] = []
    jobs = [list(range(i, requests, clients)) for i in range(clients)]
    started = time.perf_counter()

    async def progress() -> None:
        while True:
            await asyncio.sleep(2)
            print(f"    {len(latencies)}/{requests} requests", flush=True)

    ticker = asyncio.create_task(progress())
    await asyncio.gather(
        *(client("127.0.0.1", port, token, job, latencies, prefix, interval) for job in jobs)
    )
    ticker.cancel()
    return time.perf_counter() - started, latencies


@contextmanager
def server(env: dict[str, str], port: int) -> Iterator[None]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "amparo",
            "serve",
            "--no-worker",
            "--port",
            str(port),
            "--web-workers",
            "2",
            "--threads",
            "8",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        import urllib.request

        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def post_batches(port: int, token: str, total: int, size: int) -> float:
    """Messages/s through POST /messages/batch from one keep-alive connection."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    for start in range(0, total, size):
        body = json.dumps(
            {"messages": [message(n, "batch") for n in range(start, min(total, start + size))]},
            ensure_ascii=False,
        ).encode()
        connection.request(
            "POST",
            "/api/v1/messages/batch",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        response.read()
        if response.status != 202:
            raise RuntimeError(f"batch answered {response.status}")
    connection.close()
    return total / (time.perf_counter() - started)


def bench_api(
    env: dict[str, str], token: str, requests: int, clients: int, rate: float
) -> dict[str, float]:
    port = 18700 + os.getpid() % 1000
    paced_requests = int(rate * 20)  # 20 seconds at the offered rate
    with server(env, port):
        asyncio.run(load(port, token, min(500, requests), clients, "warmup"))
        print(f"  … {requests} POST /api/v1/messages, {clients} clients, closed loop", flush=True)
        elapsed, latencies = asyncio.run(load(port, token, requests, clients, "api"))
        print(f"  … {paced_requests} POSTs, {clients} clients offering {rate:g}/s", flush=True)
        _, paced = asyncio.run(load(port, token, paced_requests, clients, "paced", rate))
        print(f"  … {requests} messages through /messages/batch, 100 per request", flush=True)
        batch_rate = post_batches(port, token, requests, 100)
    process = timed("amparo worker --once (one task per message)", env, "worker", "--once")
    print(f"  processed/total: {count_processed(env)}")
    return {
        "accepted_per_s": requests / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        f"p50_ms_at_{rate:g}/s": percentile(paced, 50) * 1000,
        f"p99_ms_at_{rate:g}/s": percentile(paced, 99) * 1000,
        "batch_accepted_per_s": batch_rate,
        "processed_per_s": (2 * requests + min(500, requests) + paced_requests) / process,
    }


def run_database(
    name: str, url: str | None, args: argparse.Namespace
) -> dict[str, dict[str, float]]:
    workdir = Path(tempfile.mkdtemp(prefix=f"amparo-bench-{name}-"))
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": str(workdir),
        "AMPARO_ENV": "development",
        "AMPARO_LOG_LEVEL": "WARNING",
    }
    env.pop("AMPARO_DATABASE_URL", None)
    env.setdefault("AMPARO_MODEL_DIR", str(MODEL_DIR))
    if url:
        env["AMPARO_DATABASE_URL"] = url
    print(f"\n== {name} ==", flush=True)
    token = prepare(env)
    return {
        "amparo ingest": bench_cli(env, args.messages, workdir, args.workers),
        **(
            {}
            if args.no_api
            else {"API": bench_api(env, token, args.requests, args.clients, args.rate)}
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes draining the queue"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=100.0,
        help="offered load (messages/s) for the paced latency run",
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--no-api", action="store_true", help="measure `amparo ingest` only")
    args = parser.parse_args()
    results: dict[str, dict[str, dict[str, float]]] = {}
    if args.only in (None, "sqlite"):
        results["SQLite"] = run_database("SQLite", None, args)
    if args.only in (None, "postgres"):
        with postgres_cluster(fsync=True) as url:
            results["PostgreSQL"] = run_database("PostgreSQL", url, args)
    print(f"\nresults ({os.cpu_count()} cores; client and server share them)")
    for database, paths in results.items():
        for path, figures in paths.items():
            shown = ", ".join(f"{key} {value:,.1f}" for key, value in figures.items())
            print(f"  {database:<10} {path:<14} {shown}")


if __name__ == "__main__":
    main()
