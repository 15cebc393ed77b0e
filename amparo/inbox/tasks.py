"""Background work for the inbox, run by `amparo worker` (or the worker in `amparo serve`)."""

from __future__ import annotations

from django_tasks import task

from amparo.inbox import actions


@task()
def process_inbound(message_ids: list[int]) -> int:
    # Messages arriving one per webhook each queue a task; the first task to run takes
    # the waiting ones along (oldest first), so a surge is processed in chunks and the
    # tasks behind it find their message done and return at once.
    waiting = actions.waiting_inbound_ids(limit=actions.PROCESS_CHUNK)
    return actions.process_received([*message_ids, *waiting])


@task()
def deliver_outbound(message_id: int) -> str:
    return actions.deliver(message_id)
