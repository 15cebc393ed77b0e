from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from amparo.core.models import Brand
from amparo.triage.model import topic_model


class Command(BaseCommand):
    help = "Migrate, then serve the web app and the background worker together."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the demo data when the database is empty and print a login.",
        )
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("AMPARO_WEB_WORKERS", "2"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("AMPARO_WEB_THREADS", "8"))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Serve the web app only (run `amparo worker` elsewhere).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("amparo: migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("amparo: preparing the topic model (trained once, then cached)…")
        self.stdout.flush()
        topic_model()
        from amparo.assist.learned import models

        models()  # the reply guard's classifiers, before the web workers fork
        if options["demo"]:
            self.prepare_demo()
        connections.close_all()  # the web workers fork: no connection may be shared
        worker = None if options["no_worker"] else WorkerProcess(self.stdout)
        if worker:
            worker.start()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            f"amparo: console at {url}  ·  status page at {url}status  ·  API docs at {url}api/v1/docs"
        )
        self.stdout.flush()
        try:
            serve_web(options["host"], options["port"], options["web_workers"], options["threads"])
        finally:
            if worker:
                worker.stop()

    def prepare_demo(self) -> None:
        from amparo.core.demo import ensure_demo_admin, load_demo

        if not Brand.objects.exists():
            count = load_demo()
            self.stdout.write(f"amparo: loaded the demo data ({count} customer messages)")
        email, password = ensure_demo_admin()
        self.stdout.write("")
        self.stdout.write(f"  Log in as:  {email}")
        if password:
            self.stdout.write(f"  Password:   {password}")
        else:
            self.stdout.write(f"  Password:   see {settings.DATA_DIR}/demo-credentials.txt")
        self.stdout.write("  Language:   Español · English · עברית (menu at the top of every page)")
        self.stdout.write("")


class WorkerProcess:
    """`amparo worker` as a child process, restarted if it dies, stopped with the server."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.process: subprocess.Popen[bytes] | None = None
        self.stopping = threading.Event()
        self.watcher = threading.Thread(target=self.watch, daemon=True)

    def spawn(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "amparo", "worker"])

    def start(self) -> None:
        self.spawn()
        self.watcher.start()

    def watch(self) -> None:
        while not self.stopping.wait(1.0):
            if (
                self.process is not None
                and self.process.poll() is not None
                and not self.stopping.is_set()
            ):
                self.out.write(f"amparo: worker exited ({self.process.returncode}); restarting")
                time.sleep(1.0)
                self.spawn()

    def stop(self) -> None:
        self.stopping.set()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def serve_web(host: str, port: int, workers: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    from amparo.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", max(1, workers))
            self.cfg.set("threads", max(1, threads))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 60)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("keepalive", 5)
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("accesslog", "-" if os.environ.get("AMPARO_ACCESS_LOG") == "1" else None)
            self.cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms')

        def load(self) -> Any:
            return application

    Server().run()
