"""POST /api/v1/messages/batch: many messages in one request, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from amparo.core.models import Brand
from amparo.inbox.models import Message

URL = "/api/v1/messages/batch"
Payload = Callable[..., dict[str, Any]]


def post(client: Client, body: object) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json")


def test_it_stores_every_message_with_one_processing_task(
    api: Client, brand: Brand, payload: Payload
) -> None:
    messages = [payload() for _ in range(5)]

    response = post(api, {"messages": messages})

    assert response.status_code == 202
    body = response.json()
    assert body["created"] == 5 and body["duplicates"] == 0
    assert [item["channel_message_id"] for item in body["items"]] == [
        m["channel_message_id"] for m in messages
    ]
    assert Message.objects.count() == 5
    assert DBTaskResult.objects.count() == 1


def test_repeats_in_the_batch_and_in_the_database_come_back_as_duplicates(
    api: Client, brand: Brand, payload: Payload
) -> None:
    first = payload()
    post(api, {"messages": [first]})
    again = payload()

    body = post(api, {"messages": [first, again, again]}).json()

    assert body["created"] == 1 and body["duplicates"] == 2
    assert [item["duplicate"] for item in body["items"]] == [True, False, True]
    assert body["items"][1]["id"] == body["items"][2]["id"]
    assert Message.objects.count() == 2


def test_one_invalid_message_stores_nothing_and_names_its_index(
    api: Client, brand: Brand, payload: Payload
) -> None:
    response = post(api, {"messages": [payload(), payload(public="yes")]})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "messages.1.public"
    assert Message.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_an_unknown_brand_stores_nothing(api: Client, brand: Brand, payload: Payload) -> None:
    response = post(api, {"messages": [payload(), payload(brand="no-such-brand")]})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unknown_brand"
    assert Message.objects.count() == 0


@pytest.mark.parametrize("count", [0, 501])
def test_a_batch_must_hold_one_to_five_hundred_messages(
    api: Client, brand: Brand, payload: Payload, settings: Any, count: int
) -> None:
    settings.MAX_BODY_BYTES = 10**7
    response = post(api, {"messages": [payload() for _ in range(count)]})

    assert response.status_code == 422
    assert Message.objects.count() == 0


def test_it_needs_the_messages_write_scope(
    make_token: Callable[..., str], brand: Brand, payload: Payload
) -> None:
    reader = Client(headers={"Authorization": f"Bearer {make_token(['conversations:read'])}"})

    response = post(reader, {"messages": [payload()]})

    assert response.status_code == 403
    assert Message.objects.count() == 0


def test_unknown_fields_around_the_messages_are_refused(
    api: Client, brand: Brand, payload: Payload
) -> None:
    response = post(api, {"messages": [payload()], "priority": "high"})

    assert response.status_code == 422
    assert Message.objects.count() == 0
