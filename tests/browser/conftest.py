"""Browser tests: a real `amparo serve --demo` and Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@dataclass
class Server:
    url: str
    email: str
    password: str
    env: dict[str, str]

    def amparo(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "amparo", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """`amparo serve --demo` exactly as `make run` starts it, on a free port."""
    data_dir = tempfile.mkdtemp(prefix="amparo-browser-")
    port = free_port()
    env = {
        **os.environ,
        "AMPARO_DATA_DIR": data_dir,
        "AMPARO_ENV": "development",
        "AMPARO_INBOX_POLL_SECONDS": "1",
    }
    env.pop("AMPARO_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = Path(data_dir) / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "amparo", "serve", "--demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        text = log.read_text()
        email = re.search(r"Log in as:\s+(\S+)", text).group(1)  # type: ignore[union-attr]
        password = re.search(r"Password:\s+(\S+)", text).group(1)  # type: ignore[union-attr]
        yield Server(url=url, email=email, password=password, env=env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"amparo serve exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"amparo serve did not come up:\n{log.read_text()}")


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
