"""Background work for the inbox, run by `amparo worker` (or the worker in `amparo serve`)."""

from __future__ import annotations

from django_tasks import task

from amparo.inbox import actions


@task()
def process_inbound(message_ids: list[int]) -> int:
    return actions.process_received(message_ids)


@task()
def deliver_outbound(message_id: int) -> str:
    return actions.deliver(message_id)
