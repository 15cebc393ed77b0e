"""Demo data: Grupo Altamar's two brands, their components, and customers' messages.

The messages (`messages.jsonl`) replay three days of a department-store credit outage
followed by the group bank's outage on payday. Their timestamps are shifted so the
last one lands a few minutes before the moment the demo is loaded.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.core.actions import do_create_agent, do_save_brand, do_save_component
from amparo.core.audit import SYSTEM
from amparo.core.models import Agent, Brand, Component, Role
from amparo.inbox.actions import do_accept_inbound_batch, process_received
from amparo.inbox.schemas import InboundMessageIn
from amparo.lookalike.actions import do_add_official_account
from amparo.lookalike.models import OfficialAccount

MESSAGES_FILE = Path(__file__).with_name("messages.jsonl")
ADMIN_EMAIL = "admin@altamar.example"

BRANDS = [
    {
        "slug": "altamar-tiendas",
        "name": "Altamar Tiendas",
        "country": "MX",
        "default_language": "es",
        "official_domains": ["altamar.example"],
        "official_accounts": [("x", "AltamarTiendas"), ("instagram", "altamar.tiendas")],
        "components": [
            ("app-payments", "App payments", "Pagos en la app", "תשלומים באפליקציה"),
            ("web-login", "Web and app login", "Acceso web y app", "כניסה לאתר ולאפליקציה"),
            ("credit-balance", "Credit balance", "Saldo de crédito", "יתרת אשראי"),
            ("store-payments", "In-store payments", "Pagos en tienda", "תשלומים בחנות"),
            ("orders-delivery", "Orders and delivery", "Pedidos y entregas", "הזמנות ומשלוחים"),
        ],
    },
    {
        "slug": "banco-altamar",
        "name": "Banco Altamar",
        "country": "MX",
        "default_language": "es",
        "official_domains": ["bancoaltamar.example", "altamar.example"],
        "official_accounts": [("x", "BancoAltamar"), ("whatsapp", "+525550000100")],
        "components": [
            ("mobile-app", "Mobile banking app", "App de banca móvil", "אפליקציית הבנק"),
            ("online-banking", "Online banking", "Banca en línea", "בנקאות מקוונת"),
            ("card-payments", "Card payments", "Pagos con tarjeta", "תשלומים בכרטיס"),
            ("transfers", "Transfers (SPEI)", "Transferencias (SPEI)", "העברות"),
            ("atm", "ATMs", "Cajeros automáticos", "כספומטים"),
        ],
    },
]


def load_brands() -> None:
    for spec in BRANDS:
        brand = do_save_brand(
            Brand(
                slug=spec["slug"],
                name=spec["name"],
                country=spec["country"],
                default_language=spec["default_language"],
                official_domains=spec["official_domains"],
            ),
            SYSTEM,
        )
        for platform, handle in spec["official_accounts"]:
            if not OfficialAccount.objects.filter(brand=brand, platform=platform).exists():
                do_add_official_account(brand, platform, handle, SYSTEM)
        for position, (slug, en, es, he) in enumerate(spec["components"]):
            do_save_component(
                Component(
                    brand=brand,
                    slug=slug,
                    name=en,
                    names={"en": en, "es": es, "he": he},
                    position=position,
                ),
                SYSTEM,
            )


def demo_messages(now: datetime) -> list[InboundMessageIn]:
    rows = [
        json.loads(line)
        for line in MESSAGES_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    messages = [InboundMessageIn.model_validate(row) for row in rows]
    latest = max(m.sent_at for m in messages if m.sent_at)
    shift = (now - timedelta(minutes=5)) - latest
    for message in messages:
        if message.sent_at:
            message.sent_at = message.sent_at + shift
    return messages


def load_demo() -> int:
    """Brands, components and messages, processed; returns the number of messages."""
    with transaction.atomic():
        load_brands()
        result = do_accept_inbound_batch(demo_messages(timezone.now()))
    process_received(result.message_ids)
    if result.created:
        # The radar replays the demo's three days, so its outage is a suggestion.
        from amparo.radar.engine import tick

        tick(catch_up_minutes=4 * 24 * 60)
    return result.created


def ensure_demo_admin() -> tuple[str, str | None]:
    """The demo administrator's email, and its password when it was created now."""
    credentials = Path(settings.DATA_DIR) / "demo-credentials.txt"
    if Agent.objects.filter(email=ADMIN_EMAIL).exists():
        saved = credentials.read_text(encoding="utf-8").strip() if credentials.exists() else None
        return ADMIN_EMAIL, saved
    password = secrets.token_urlsafe(12)
    do_create_agent(
        ADMIN_EMAIL, password, Role.ADMIN, SYSTEM, display_name="Demo Admin", language="en"
    )
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(password + "\n", encoding="utf-8")
    credentials.chmod(0o600)
    return ADMIN_EMAIL, password
