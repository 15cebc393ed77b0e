"""The background worker: a plain, restartable loop.

Each turn, in order:
1. run every ready task in the database queue (django-tasks-db), one at a time;
2. every `RECOVER_AFTER_SECONDS`, process inbound messages still `received` after that
   long (their task was lost with a crashed worker: the message row is the durable
   record, not the task), queue outbound replies still `queued`, and mark sends cut
   off mid-way as failed (never resent blindly);
3. once an hour, prune finished task results older than a day and expired original texts;
   once a minute, let the outage radar evaluate the closed minutes (amparo/radar/engine.py)
   and record the service-level timers missed (amparo/sla/engine.py);
4. sleep `AMPARO_WORKER_POLL_MS`.
SIGTERM or SIGINT: finish the task in hand, then exit 0.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import timedelta
from types import FrameType

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from amparo.inbox import actions
from amparo.inbox.originals import purge_expired

logger = logging.getLogger("amparo.worker")
PRUNE_EVERY_SECONDS = 3600


class Runner:
    def __init__(self, *, once: bool = False, recover_after: float | None = None) -> None:
        self.once = once
        self.recover_after = timedelta(
            seconds=settings.RECOVER_AFTER_SECONDS if recover_after is None else recover_after
        )
        self.stop = threading.Event()
        self.worker_id = f"{os.getpid()}-{get_random_string(8)}"
        self.queue_worker = self._queue_worker()
        self.last_recovery = 0.0
        self.last_prune = 0.0
        self.last_radar_minute = 0
        self.last_sla_minute = 0

    def _queue_worker(self):  # type: ignore[no-untyped-def]
        from django_tasks import task_backends
        from django_tasks_db.backend import DatabaseBackend
        from django_tasks_db.management.commands.db_worker import Worker

        if not isinstance(task_backends["default"], DatabaseBackend):
            return None
        return Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def install_signals(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        logger.info("worker %s: stopping after the current task", self.worker_id)
        self.stop.set()
        if self.queue_worker is not None:
            self.queue_worker.running = False

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        while not self.stop.is_set():
            close_old_connections()
            self.drain_queue()
            self.recover_if_due()
            self.prune_if_due()
            self.radar_if_due()
            self.sla_if_due()
            if self.once:
                self.drain_queue()
                return
            self.stop.wait(settings.WORKER_POLL_SECONDS)
        logger.info("worker %s stopped", self.worker_id)

    def drain_queue(self) -> None:
        if self.queue_worker is None:
            return
        self.queue_worker.running = not self.stop.is_set()
        self.queue_worker.run()

    def recover_if_due(self) -> None:
        now = time.monotonic()
        if not self.once and now - self.last_recovery < max(self.recover_after.total_seconds(), 1):
            return
        self.last_recovery = now
        recover(self.recover_after)

    def radar_if_due(self) -> None:
        """Once a minute: the outage radar evaluates the minutes that have closed."""
        minute = int(time.time() // 60)
        if minute == self.last_radar_minute:
            return
        self.last_radar_minute = minute
        from amparo.radar.engine import tick

        try:
            suggestions = tick()
        except Exception:  # the radar must never stop message processing
            logger.exception("radar: evaluation failed; retrying next minute")
            return
        for suggestion in suggestions:
            logger.warning("radar: suggestion %s (%s)", suggestion.pk, suggestion.key)

    def sla_if_due(self) -> None:
        """Once a minute: record and audit the service-level timers missed."""
        minute = int(time.time() // 60)
        if minute == self.last_sla_minute:
            return
        self.last_sla_minute = minute
        from amparo.sla.engine import check_breaches

        try:
            missed = check_breaches()
        except Exception:  # service levels must never stop message processing
            logger.exception("sla: breach check failed; retrying next minute")
            return
        if missed:
            logger.warning("sla: %s timers missed", missed)

    def prune_if_due(self) -> None:
        now = time.monotonic()
        if self.once or now - self.last_prune < PRUNE_EVERY_SECONDS:
            return
        self.last_prune = now
        prune_finished_tasks(timedelta(days=1))
        purge_expired()


def recover(older_than: timedelta) -> dict[str, int]:
    stranded = actions.waiting_inbound_ids(limit=10_000, older_than=older_than)
    processed = actions.process_received(stranded) if stranded else 0
    queued = actions.stranded_outbound_ids(older_than)
    for message_id in queued:
        actions.deliver(message_id)
    failed = actions.fail_interrupted_sends(max(older_than, timedelta(minutes=5)))
    if processed or queued or failed:
        logger.warning(
            "recovered: processed %d stranded inbound, sent %d queued outbound, %d interrupted sends failed",
            processed,
            len(queued),
            failed,
        )
    return {"inbound": processed, "outbound": len(queued), "failed": failed}


def prune_finished_tasks(older_than: timedelta) -> int:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    deleted, _ = DBTaskResult.objects.filter(status="SUCCESSFUL", finished_at__lt=cutoff).delete()
    return deleted
