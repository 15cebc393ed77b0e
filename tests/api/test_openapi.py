"""The API describes itself: an OpenAPI document and docs that load nothing from elsewhere."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def test_the_openapi_document_describes_post_messages_with_the_from_alias() -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    post = document["paths"]["/api/v1/messages"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    properties = resolve(body, document)["properties"]
    assert "from" in properties
    assert "sender" not in properties
    assert {"channel", "channel_message_id", "brand", "text"} <= set(properties)


def test_the_openapi_document_declares_bearer_security() -> None:
    document = json.loads(Client().get("/api/v1/openapi.json").content)

    schemes = document["components"]["securitySchemes"]
    assert any(
        s.get("type") == "http" and s.get("scheme", "").lower() == "bearer"
        for s in schemes.values()
    )
    post = document["paths"]["/api/v1/messages"]["post"]
    assert post.get("security") or document.get("security")


def test_the_docs_page_loads_no_asset_from_another_host() -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    foreign = [
        url
        for url in re.findall(r"""https?://[^\s"'<>)]+""", html)
        if not re.match(r"https?://(testserver|localhost|127\.0\.0\.1)([:/]|$)", url)
    ]
    assert foreign == []


def test_the_docs_page_assets_are_served_by_amparo_itself() -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assets = re.findall(r"""(?:src|href)="(/[^"]+)\"""", html)

    assert any(a.endswith(".js") for a in assets)
    assert any(a.endswith(".css") for a in assets)
    for asset in assets:
        response = Client().get(asset)
        assert response.status_code == 200, asset
        if hasattr(response, "close"):
            response.close()
