"""The public status page: what works and what does not, in the reader's language.

It is read most when everything else is failing, so it is cheap (a few small queries),
cacheable (ETag and Last-Modified, answered with 304) and loads nothing from elsewhere.
It also lists each brand's official accounts and domains: the only ones that are really
the brand's, for a customer who was contacted by a lookalike.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_GET

from amparo.core.models import Brand, Component, ComponentStatus
from amparo.lookalike.models import OfficialAccount

SEVERITY = {
    ComponentStatus.OPERATIONAL: 0,
    ComponentStatus.MAINTENANCE: 1,
    ComponentStatus.DEGRADED: 2,
    ComponentStatus.PARTIAL_OUTAGE: 3,
    ComponentStatus.MAJOR_OUTAGE: 4,
}
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def status_language(request: HttpRequest) -> str:
    requested = request.GET.get("lang", "")
    if requested in LANGUAGE_CODES:
        return requested
    return translation.get_language_from_request(request)


def official_registry(request: HttpRequest) -> tuple[datetime | None, int]:
    """When an official account was last added, and how many there are (a removal
    lowers the count); asked once per request."""
    if not hasattr(request, "_amparo_status_registry"):
        stamp = OfficialAccount.objects.aggregate(at=Max("created_at"), count=Count("pk"))
        request._amparo_status_registry = (stamp["at"], stamp["count"])  # type: ignore[attr-defined]
    return request._amparo_status_registry  # type: ignore[attr-defined]


def last_change(request: HttpRequest) -> datetime | None:
    """When brands, components or official accounts last changed; asked once per request
    (the ETag, the Last-Modified check and the page all need it). Removing an account
    touches its brand's `updated_at`."""
    if not hasattr(request, "_amparo_status_changed"):
        stamps = [
            Component.objects.aggregate(at=Max("updated_at"))["at"],
            Brand.objects.aggregate(at=Max("updated_at"))["at"],
            official_registry(request)[0],
        ]
        present = [stamp for stamp in stamps if stamp is not None]
        request._amparo_status_changed = max(present) if present else None  # type: ignore[attr-defined]
    return request._amparo_status_changed  # type: ignore[attr-defined]


def status_etag(request: HttpRequest) -> str:
    changed = last_change(request)
    count = Component.objects.count()
    accounts = official_registry(request)[1]
    stamp = changed.isoformat() if changed else "-"
    seed = f"{status_language(request)}|{stamp}|{count}|{accounts}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def snapshot(language: str) -> list[dict[str, Any]]:
    components_by_brand: dict[int, list[Component]] = {}
    for component in Component.objects.order_by("position", "name"):
        components_by_brand.setdefault(component.brand_id, []).append(component)
    accounts_by_brand: dict[int, list[dict[str, str]]] = {}
    for brand_id, platform, handle in OfficialAccount.objects.order_by(
        "platform", "handle"
    ).values_list("brand_id", "platform", "handle"):
        accounts_by_brand.setdefault(brand_id, []).append({"platform": platform, "handle": handle})
    brands = []
    for brand in Brand.objects.order_by("name"):
        components = components_by_brand.get(brand.pk, [])
        worst = max(
            (c.status for c in components),
            key=lambda s: SEVERITY[ComponentStatus(s)],
            default=ComponentStatus.OPERATIONAL,
        )
        brands.append(
            {
                "slug": brand.slug,
                "name": brand.name,
                "status": worst,
                "status_label": ComponentStatus(worst).label,
                "components": [
                    {
                        "slug": c.slug,
                        "name": c.name_in(language),
                        "status": c.status,
                        "status_label": ComponentStatus(c.status).label,
                        "updated_at": c.updated_at,
                    }
                    for c in components
                ],
                "official_accounts": accounts_by_brand.get(brand.pk, []),
                "official_domains": listed_domains(brand),
            }
        )
    return brands


def listed_domains(brand: Brand) -> list[str]:
    domains = brand.official_domains
    return [d for d in domains if isinstance(d, str)] if isinstance(domains, list) else []


def cacheable(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.STATUS_CACHE_SECONDS)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_GET
@condition(etag_func=status_etag, last_modified_func=last_change)
def status_page(request: HttpRequest) -> HttpResponse:
    language = status_language(request)
    with translation.override(language):
        context = {
            "brands": snapshot(language),
            "updated_at": last_change(request),
            "language": language,
            "bidi": translation.get_language_bidi(),
            "languages": settings.LANGUAGES,
        }
        response = render(request, "incidents/status.html", context)
    response["Content-Language"] = language
    return cacheable(response)


@require_GET
@condition(etag_func=status_etag, last_modified_func=last_change)
def status_json(request: HttpRequest) -> HttpResponse:
    language = status_language(request)
    with translation.override(language):
        brands = snapshot(language)
        for brand in brands:
            brand["status_label"] = str(brand["status_label"])
            for component in brand["components"]:
                component["status_label"] = str(component["status_label"])
    changed = last_change(request)
    response = JsonResponse(
        {
            "language": language,
            "updated_at": changed.isoformat() if changed else None,
            "brands": brands,
        }
    )
    return cacheable(response)
