"""The impersonation watch in the console: the official registry, the lookalikes found,
and the takedown export.

Supervisors read the registry, work the findings and export them; only administrators
change the registry. Every write goes through `amparo.lookalike.actions`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from django import forms
from django.contrib import messages as flash
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.access import role_required
from amparo.core.audit import Actor
from amparo.core.models import Agent, Brand, Role
from amparo.lookalike.actions import (
    DuplicateOfficialAccount,
    InvalidName,
    clean_display_name,
    clean_domain,
    clean_domains,
    clean_handle,
    do_add_official_account,
    do_decide_finding,
    do_remove_official_account,
    do_set_official_domains,
)
from amparo.lookalike.models import FindingStatus, LookalikeFinding, OfficialAccount, Platform
from amparo.lookalike.templatetags.lookalike_tags import platform_label

FINDINGS_LIMIT = 300
PLATFORM_PARAM = re.compile(r"[a-z0-9_-]{1,20}")
EXPORT_COLUMNS = [
    "platform",
    "candidate",
    "imitates",
    "reasons",
    "first_seen",
    "last_seen",
    "seen",
    "author_followers",
    "author_created_at",
    "evidence_url",
]
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV
# Injection"); a leading apostrophe makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
PROFILE_URLS = {
    "x": "https://x.com/{}",
    "bluesky": "https://bsky.app/profile/{}",
    "instagram": "https://www.instagram.com/{}/",
    "facebook": "https://www.facebook.com/{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "telegram": "https://t.me/{}",
    "threads": "https://www.threads.net/@{}",
    "youtube": "https://www.youtube.com/@{}",
}
REASON_LABELS = {
    "invisible": gettext_lazy("Invisible characters"),
    "fullwidth": gettext_lazy("Full-width letters"),
    "combining": gettext_lazy("Added accents or marks"),
    "digit_suffix": gettext_lazy("Digits added"),
    "confusable": gettext_lazy("Letters from another alphabet"),
    "homoglyph": gettext_lazy("Look-alike characters (0/o, 1/l)"),
    "reordered_words": gettext_lazy("Words reordered"),
    "words_removed": gettext_lazy("Words removed"),
    "support_words": gettext_lazy("Support words added"),
    "country_suffix": gettext_lazy("Country added"),
    "other_domain": gettext_lazy("Another domain ending"),
    "official_name": gettext_lazy("Official name inside"),
    "official_name_in_subdomain": gettext_lazy("Official name in a subdomain"),
    "separator": gettext_lazy("Separators added"),
    "transposition": gettext_lazy("Letters swapped"),
    "repetition": gettext_lazy("Letter repeated"),
    "insertion": gettext_lazy("Letter added"),
    "omission": gettext_lazy("Letter left out"),
    "vowel_swap": gettext_lazy("Vowel changed"),
    "keyboard_adjacent": gettext_lazy("Neighbouring key"),
    "substitution": gettext_lazy("Letter changed"),
}


# --- forms ------------------------------------------------------------------------------


class OfficialAccountForm(forms.Form):
    platform = forms.ChoiceField(choices=Platform.choices, label=gettext_lazy("Platform"))
    handle = forms.CharField(max_length=200, label=gettext_lazy("Handle"))
    display_name = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("Display name")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("platform") and data.get("handle"):
            try:
                data["handle"] = clean_handle(data["platform"], data["handle"])
            except InvalidName as error:
                self.add_error("handle", str(error))
        return data

    def clean_display_name(self) -> str:
        try:
            return clean_display_name(self.cleaned_data["display_name"])
        except InvalidName as error:
            raise forms.ValidationError(str(error)) from error


class OfficialDomainsForm(forms.Form):
    domains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
        max_length=5000,
        required=False,
        label=gettext_lazy("Official domains"),
        help_text=gettext_lazy("One domain per line, such as altamar.mx."),
    )

    def clean_domains(self) -> list[str]:
        try:
            return clean_domains(self.cleaned_data["domains"].splitlines())
        except InvalidName as error:
            raise forms.ValidationError(str(error)) from error


def account_form(brand: Brand, data: Any = None) -> OfficialAccountForm:
    # One form per brand on the page: ids must not collide, names stay plain.
    return OfficialAccountForm(data, auto_id=f"id_brand{brand.pk}_account_%s")


def domains_form(brand: Brand, data: Any = None) -> OfficialDomainsForm:
    initial = {"domains": "\n".join(strings(brand.official_domains))}
    return OfficialDomainsForm(data, initial=initial, auto_id=f"id_brand{brand.pk}_domains_%s")


# --- the official registry --------------------------------------------------------------


@require_GET
@role_required(Role.SUPERVISOR)
def official_accounts(request: HttpRequest) -> HttpResponse:
    return render_registry(request)


def render_registry(
    request: HttpRequest, bound: dict[int, dict[str, forms.Form]] | None = None, status: int = 200
) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    can_edit = agent.has_role(Role.ADMIN)
    sections = []
    for brand in Brand.objects.order_by("name").prefetch_related("official_accounts"):
        section: dict[str, Any] = {
            "brand": brand,
            "accounts": list(brand.official_accounts.all()),
            "domains": strings(brand.official_domains),
        }
        if can_edit:
            given = (bound or {}).get(brand.pk, {})
            section["account_form"] = given.get("account") or account_form(brand)
            section["domains_form"] = given.get("domains") or domains_form(brand)
        sections.append(section)
    context = {"sections": sections, "can_edit": can_edit}
    return render(request, "lookalike/official_accounts.html", context, status=status)


def registry_url(brand: Brand) -> str:
    return f"{reverse('official-accounts')}#brand-{brand.pk}"


@require_POST
@role_required(Role.ADMIN)
def official_account_add(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = get_object_or_404(Brand, pk=brand_id)
    form = account_form(brand, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            do_add_official_account(
                brand, data["platform"], data["handle"], actor(request), data["display_name"]
            )
        except DuplicateOfficialAccount:
            form.add_error("handle", _("%(brand)s already lists this account.") % {"brand": brand})
        except InvalidName as error:
            form.add_error("handle", str(error))
        else:
            flash.success(request, _("Official account added."))
            return redirect(registry_url(brand))
    return render_registry(request, {brand.pk: {"account": form}}, status=400)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def official_account_remove(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes."""
    account = get_object_or_404(OfficialAccount.objects.select_related("brand"), pk=account_id)
    if request.method == "GET":
        return render(request, "lookalike/remove_account.html", {"account": account})
    if do_remove_official_account(account, actor(request)):
        flash.success(request, _("Official account removed."))
    return redirect(registry_url(account.brand))


@require_POST
@role_required(Role.ADMIN)
def official_domains(request: HttpRequest, brand_id: int) -> HttpResponse:
    brand = get_object_or_404(Brand, pk=brand_id)
    form = domains_form(brand, request.POST)
    if form.is_valid():
        do_set_official_domains(brand, form.cleaned_data["domains"], actor(request))
        flash.success(request, _("Official domains saved."))
        return redirect(registry_url(brand))
    return render_registry(request, {brand.pk: {"domains": form}}, status=400)


def actor(request: HttpRequest) -> Actor:
    return Actor.of_agent(request.user)  # type: ignore[arg-type]


# --- the findings -----------------------------------------------------------------------


@require_GET
@role_required(Role.SUPERVISOR)
def finding_list(request: HttpRequest) -> HttpResponse:
    filters = finding_filters(request.GET)
    findings = filtered(LookalikeFinding.objects.select_related("brand"), filters)
    ordered = findings.annotate(
        closed=Case(
            When(status=FindingStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        conversation_id=F("message__conversation_id"),
    ).order_by("closed", "-last_seen", "-pk")
    platforms = LookalikeFinding.objects.order_by().values_list("platform", flat=True).distinct()
    context = {
        "rows": [finding_row(f) for f in ordered[:FINDINGS_LIMIT]],
        "limit": FINDINGS_LIMIT,
        "filters": filters,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "statuses": FindingStatus.choices,
        "platforms": [(p, platform_label(p)) for p in sorted(set(platforms))],
    }
    return render(request, "lookalike/findings.html", context)


def finding_filters(params: Any) -> dict[str, str]:
    """The status and platform asked for; anything unknown means "any"."""
    status = params.get("status", "")
    platform = params.get("platform", "")
    return {
        "status": status if status in FindingStatus.values else "",
        "platform": platform if PLATFORM_PARAM.fullmatch(platform) else "",
    }


def filtered(
    findings: QuerySet[LookalikeFinding], filters: dict[str, str]
) -> QuerySet[LookalikeFinding]:
    if filters["status"]:
        findings = findings.filter(status=filters["status"])
    if filters["platform"]:
        findings = findings.filter(platform=filters["platform"])
    return findings


def finding_row(finding: LookalikeFinding) -> dict[str, Any]:
    author = finding.author if isinstance(finding.author, dict) else {}
    return {
        "finding": finding,
        "platform": platform_label(finding.platform),
        "reasons": [str(REASON_LABELS.get(r, r)) for r in strings(finding.reasons)],
        "author_handle": text_of(author.get("handle")).lstrip("@"),
        "author_name": text_of(author.get("display_name")),
        "followers": follower_count(author),
        "account_created": account_created(author),
        "conversation_id": getattr(finding, "conversation_id", None),
    }


def follower_count(author: dict[str, Any]) -> int | None:
    value = author.get("followers")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 13:
        return int(value)
    return None


def account_created(author: dict[str, Any]) -> str:
    """The author account's creation day (YYYY-MM-DD, UTC), or "" when not given."""
    value = author.get("account_created_at")
    if not isinstance(value, str) or len(value) > 40:
        return ""
    try:
        moment = parse_datetime(value)
        if moment is not None:
            return (moment.astimezone(UTC) if moment.tzinfo else moment).date().isoformat()
        day = parse_date(value)
    except ValueError:
        return ""
    return day.isoformat() if day else ""


def text_of(value: Any) -> str:
    return value[:200] if isinstance(value, str) else ""


def strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


@require_POST
@role_required(Role.SUPERVISOR)
def finding_report(request: HttpRequest, finding_id: int) -> HttpResponse:
    return decide(request, finding_id, FindingStatus.REPORTED)


@require_POST
@role_required(Role.SUPERVISOR)
def finding_dismiss(request: HttpRequest, finding_id: int) -> HttpResponse:
    return decide(request, finding_id, FindingStatus.DISMISSED)


def decide(request: HttpRequest, finding_id: int, status: FindingStatus) -> HttpResponse:
    finding = get_object_or_404(LookalikeFinding, pk=finding_id)
    if do_decide_finding(finding, status, actor(request)) is None:
        flash.error(request, _("This lookalike was already decided; nothing changed."))
    elif status == FindingStatus.REPORTED:
        flash.success(request, _("Marked as reported for takedown."))
    else:
        flash.success(request, _("Dismissed."))
    filters = finding_filters(request.GET)
    query = urlencode({k: v for k, v in filters.items() if v})
    return redirect(f"{reverse('lookalikes')}?{query}" if query else reverse("lookalikes"))


# --- the takedown export ----------------------------------------------------------------


@require_GET
@role_required(Role.SUPERVISOR)
def finding_export(request: HttpRequest) -> HttpResponse:
    """The open and reported lookalikes of one platform (all without one), as CSV."""
    platform = request.GET.get("platform", "")
    if platform and not PLATFORM_PARAM.fullmatch(platform):
        return HttpResponseBadRequest(_("Unknown platform."), content_type="text/plain")
    findings = LookalikeFinding.objects.filter(
        status__in=[FindingStatus.OPEN, FindingStatus.REPORTED]
    ).order_by("platform", "-last_seen", "-pk")
    if platform:
        findings = findings.filter(platform=platform)
    day = datetime.now(UTC).strftime("%Y%m%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lookalikes-{platform or "all"}-{day}.csv"'
    )
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(safe_row(export_row(f)) for f in findings.iterator())
    return response


def export_row(finding: LookalikeFinding) -> list[object]:
    author = finding.author if isinstance(finding.author, dict) else {}
    followers = follower_count(author)
    return [
        finding.platform,
        finding.candidate,
        finding.imitates,
        ";".join(strings(finding.reasons)),
        utc_iso(finding.first_seen),
        utc_iso(finding.last_seen),
        finding.seen,
        "" if followers is None else followers,
        account_created(author),
        evidence_url(finding, author),
    ]


def safe_row(cells: Iterable[object]) -> list[str]:
    return [safe_cell(str(cell)) for cell in cells]


def safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def evidence_url(finding: LookalikeFinding, author: dict[str, Any]) -> str:
    """Where the platform shows the lookalike: its profile, or the website itself."""
    if finding.platform == "web":
        host = clean_domain(finding.candidate.strip().lower())
        return f"https://{host}/" if host else ""
    # A display name is not an address: the author's handle is.
    handle = text_of(author.get("handle")) if finding.kind == "display_name" else finding.candidate
    handle = handle.strip().lstrip("@")
    if not handle:
        return ""
    if finding.platform == "whatsapp":
        digits = re.sub(r"[^0-9]", "", handle)
        return f"https://wa.me/{digits}" if digits else ""
    if finding.platform == "mastodon":
        return mastodon_url(handle)
    pattern = PROFILE_URLS.get(finding.platform)
    return pattern.format(quote(handle, safe="")) if pattern else ""


def mastodon_url(handle: str) -> str:
    user, _at, server = handle.partition("@")
    host = clean_domain(server.lower()) if server else None
    return f"https://{host}/@{quote(user, safe='')}" if user and host else ""
