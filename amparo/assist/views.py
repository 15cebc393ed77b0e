"""The vulnerability register, the signposting library, canned replies and satisfaction
in the console.

Every agent reads a customer's record (its details only on a need-to-know basis, see
`amparo.assist.access`) and records or updates one; supervisors withdraw records, work
the review list, keep the canned replies and read the satisfaction report;
administrators keep the signposting library. Every write goes through
`amparo.assist.register`, `amparo.assist.signposts` or `amparo.assist.canned`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.assist.access import can_see_details, can_withdraw
from amparo.assist.canned import MAX_TEXT as MAX_CANNED_TEXT
from amparo.assist.canned import (
    MAX_TITLE,
    CannedData,
    DuplicateCanned,
    GuardRefused,
    InvalidCanned,
    do_create_canned,
    do_set_canned_active,
    do_update_canned,
    guard_advice,
)
from amparo.assist.canned import TOPICS as CANNED_TOPICS
from amparo.assist.csat import csat_report
from amparo.assist.labels import cue_label
from amparo.assist.models import (
    CannedReply,
    Driver,
    RecordStatus,
    Signpost,
    SignpostKind,
    VulnerabilityRecord,
)
from amparo.assist.panel import (
    customer_language,
    driver_labels,
    latest_inbound,
    panel_signposts,
    record_view,
)
from amparo.assist.register import (
    MAX_DETAILS,
    MAX_NEEDS,
    DuplicateRecord,
    InvalidRecord,
    RecordData,
    StaleRecord,
    default_review_date,
    do_create_record,
    do_update_record,
    do_withdraw_record,
    open_record,
    record_version,
    records_due_for_review,
    suggest_record,
    today,
)
from amparo.assist.signposts import (
    MAX_NAME,
    MAX_ORDER,
    MAX_PHONE,
    MAX_TEXT,
    MAX_URL,
    DuplicateSignpost,
    InvalidSignpost,
    SignpostData,
    do_create_signpost,
    do_set_signpost_active,
    do_update_signpost,
    language_codes,
    strings,
)
from amparo.core.access import role_required
from amparo.core.audit import Actor
from amparo.core.models import Agent, Brand, Customer, Role
from amparo.inbox.models import Message
from amparo.triage.labels import TOPIC_LABELS

REVIEW_LIMIT = 300
LANGUAGE_NAMES = {"es": "Español", "en": "English", "he": "עברית"}

# --- forms ------------------------------------------------------------------------------


class RecordForm(forms.Form):
    """The record, with the TEXAS steps spelled out for the agent in the order they
    happen in the conversation (Money Advice Trust's TEXAS protocol)."""

    thanked = forms.BooleanField(
        required=False,
        label=gettext_lazy("T: I thanked the customer for telling us."),
    )
    explained = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "E: I explained how we will use what they told us, who will see it, and that they can ask us to remove it."
        ),
    )
    consent_given = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "X: The customer gave explicit consent to record the details of their situation."
        ),
        help_text=gettext_lazy(
            "Without consent, record only the drivers and what they need from us; leave the details empty."
        ),
    )
    asked = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "A: I asked how their situation affects them and what would help them deal with us."
        ),
    )
    signposted = forms.BooleanField(
        required=False,
        label=gettext_lazy("S: I signposted organisations that can help."),
    )
    drivers = forms.MultipleChoiceField(
        choices=Driver.choices,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Drivers of vulnerability"),
    )
    needs = forms.CharField(
        max_length=MAX_NEEDS,
        required=False,
        label=gettext_lazy("What the customer needs from us"),
        help_text=gettext_lazy("For example: call after 10am, large print, speak slowly."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    details = forms.CharField(
        max_length=MAX_DETAILS,
        required=False,
        label=gettext_lazy("Details (only with consent)"),
        help_text=gettext_lazy(
            "Only supervisors and the agent who records them can read the details. Card numbers and codes are removed."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    brand = forms.ModelChoiceField(
        queryset=Brand.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All brands of the group"),
        label=gettext_lazy("Applies to"),
    )
    review_at = forms.DateField(
        label=gettext_lazy("Review on"),
        widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    priority_routing = forms.BooleanField(
        required=False, label=gettext_lazy("Route their conversations to the priority queue")
    )
    pause_collections = forms.BooleanField(
        required=False, label=gettext_lazy("Pause collections contact")
    )
    extra_care = forms.BooleanField(
        required=False, label=gettext_lazy("Take extra care in every contact")
    )
    version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args: Any, with_details: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_details:
            del self.fields["details"]

    def data_for_register(self) -> RecordData:
        data = self.cleaned_data
        return RecordData(
            drivers=list(data["drivers"]),
            review_at=data["review_at"],
            needs=data["needs"],
            details=data["details"] if "details" in self.fields else None,
            brand=data["brand"],
            thanked=data["thanked"],
            explained=data["explained"],
            consent_given=data["consent_given"],
            asked=data["asked"],
            signposted=data["signposted"],
            priority_routing=data["priority_routing"],
            pause_collections=data["pause_collections"],
            extra_care=data["extra_care"],
        )


class SignpostForm(forms.Form):
    country = forms.CharField(
        max_length=2,
        label=gettext_lazy("Country"),
        help_text=gettext_lazy("Two-letter ISO code, such as MX, GB, US, ES or IL."),
        widget=forms.TextInput(attrs={"dir": "ltr", "size": 3}),
    )
    language = forms.ChoiceField(choices=[], label=gettext_lazy("Language"))
    name = forms.CharField(
        max_length=MAX_NAME,
        label=gettext_lazy("Name"),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    kinds = forms.MultipleChoiceField(
        choices=SignpostKind.choices,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Kinds of help"),
    )
    description = forms.CharField(
        max_length=MAX_TEXT,
        required=False,
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    referral_route = forms.CharField(
        max_length=MAX_TEXT,
        required=False,
        label=gettext_lazy("How a customer gets there"),
        help_text=gettext_lazy("For example: Citizens Advice gives food bank vouchers."),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    url = forms.CharField(
        max_length=MAX_URL,
        required=False,
        label=gettext_lazy("Web address"),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    phone = forms.CharField(
        max_length=MAX_PHONE,
        required=False,
        label=gettext_lazy("Phone"),
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    order = forms.IntegerField(
        min_value=0, max_value=MAX_ORDER, initial=100, label=gettext_lazy("Order")
    )
    active = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Active"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in language_codes()
        ]

    def data_for_library(self) -> SignpostData:
        data = self.cleaned_data
        return SignpostData(
            country=data["country"],
            language=data["language"],
            name=data["name"],
            kinds=list(data["kinds"]),
            description=data["description"],
            url=data["url"],
            phone=data["phone"],
            referral_route=data["referral_route"],
            order=data["order"],
            active=data["active"],
        )


def actor(request: HttpRequest) -> Actor:
    return Actor.of_agent(request.user)  # type: ignore[arg-type]


def current_agent(request: HttpRequest) -> Agent:
    return request.user  # type: ignore[return-value]


# --- a customer's record ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.AGENT)
def customer_vulnerability(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET shows the customer's record and the form; POST records or updates it."""
    customer = get_object_or_404(Customer, pk=customer_id)
    found = open_record(customer)
    if request.method == "GET":
        form = record_form(request, customer, found)
        return render_record_page(request, customer, found, form)
    form = record_form(request, customer, found, request.POST)
    if not form.is_valid():
        return render_record_page(request, customer, found, form, status=400)
    return save_record(request, customer, found, form)


def record_form(
    request: HttpRequest,
    customer: Customer,
    found: VulnerabilityRecord | None,
    data: Any = None,
) -> RecordForm:
    with_details = found is None or can_see_details(found, current_agent(request))
    if data is not None:
        return RecordForm(data, with_details=with_details)
    initial = initial_values(request, customer, found)
    return RecordForm(initial=initial, with_details=with_details)


def initial_values(
    request: HttpRequest, customer: Customer, found: VulnerabilityRecord | None
) -> dict[str, Any]:
    if found is None:
        suggestion = requested_suggestion(request, customer)
        return {
            "review_at": default_review_date(),
            "priority_routing": True,
            "pause_collections": True,
            "extra_care": True,
            "drivers": suggestion["drivers"] if suggestion else [],
        }
    values = {name: getattr(found, name) for name in RECORD_FORM_FIELDS}
    if not can_see_details(found, current_agent(request)):
        del values["details"]  # never handed to a page that may not show it
    values["version"] = record_version(found)
    if found.review_at <= today():
        values["review_at"] = default_review_date()  # renewing an expired record
    return values


RECORD_FORM_FIELDS = [
    "thanked",
    "explained",
    "consent_given",
    "asked",
    "signposted",
    "drivers",
    "needs",
    "details",
    "brand",
    "review_at",
    "priority_routing",
    "pause_collections",
    "extra_care",
]


def requested_suggestion(request: HttpRequest, customer: Customer) -> dict[str, Any] | None:
    """The suggestion of the message in ?message=, when it is this customer's."""
    raw = request.GET.get("message", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        return None
    message = Message.objects.filter(pk=int(raw), customer=customer).first()
    return suggest_record(message) if message is not None else None


def save_record(
    request: HttpRequest, customer: Customer, found: VulnerabilityRecord | None, form: RecordForm
) -> HttpResponse:
    data = form.data_for_register()
    # The form carries the version of the record it showed ("" for none): a second click
    # on "Record", or an update of a record withdrawn meanwhile, is stale.
    version = form.cleaned_data["version"]
    try:
        if found is None and version:
            raise StaleRecord(str(customer.pk))
        if found is None:
            do_create_record(customer, data, actor(request))
        else:
            do_update_record(found, data, actor(request), version)
    except InvalidRecord as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return render_record_page(request, customer, found, form, status=400)
    except DuplicateRecord:
        error = _("This customer already has a record: it is shown above.")
        return render_conflict(request, customer, error)
    except StaleRecord:
        error = _("Someone changed this record since you opened it. Check it and try again.")
        return render_conflict(request, customer, error)
    flash.success(
        request, _("Vulnerability record saved.") if found else _("Vulnerability recorded.")
    )
    return redirect("customer-vulnerability", customer_id=customer.pk)


def render_conflict(request: HttpRequest, customer: Customer, error: str) -> HttpResponse:
    """The record as it is now beside what the agent typed, which now carries the
    current version: saving again is a decision taken knowing the change."""
    current = open_record(customer)
    data = request.POST.copy()
    data["version"] = record_version(current) if current is not None else ""
    form = record_form(request, customer, current, data)
    form.is_valid()
    form.add_error(None, error)
    return render_record_page(request, customer, current, form, status=409)


def render_record_page(
    request: HttpRequest,
    customer: Customer,
    found: VulnerabilityRecord | None,
    form: RecordForm,
    status: int = 200,
) -> HttpResponse:
    agent = current_agent(request)
    suggestion = requested_suggestion(request, customer) if found is None else None
    conversations = customer.conversations.select_related("brand").order_by("-last_message_at")
    latest = conversations.first()
    context = {
        "customer": customer,
        "record": record_view(found, agent) if found is not None else None,
        "form": form,
        "can_withdraw": found is not None and can_withdraw(agent),
        "suggestion": suggestion_labels(suggestion),
        "withdrawn": customer.vulnerability_records.filter(status=RecordStatus.WITHDRAWN)
        .select_related("updated_by")
        .order_by("-withdrawn_at")[:10],
        "conversations": conversations[:5],
        # Signposts for the customer's latest conversation: its brand's country, their
        # language, what they wrote and what the record says.
        "signposts": panel_signposts(latest, latest_inbound(latest), found) if latest else [],
        "signpost_language": customer_language(latest) if latest else "",
    }
    return render(request, "assist/customer_vulnerability.html", context, status=status)


def suggestion_labels(suggestion: dict[str, Any] | None) -> dict[str, Any] | None:
    if suggestion is None:
        return None
    return {
        "driver_labels": driver_labels(suggestion["drivers"]),
        "cue_labels": [cue_label(name) for name in suggestion["cues"]],
    }


@require_http_methods(["GET", "POST"])
@role_required(Role.SUPERVISOR)
def record_withdraw(request: HttpRequest, record_id: int) -> HttpResponse:
    """GET asks to confirm; POST withdraws and erases the details."""
    found = get_object_or_404(VulnerabilityRecord.objects.select_related("customer"), pk=record_id)
    if request.method == "GET":
        if found.status == RecordStatus.WITHDRAWN:
            return redirect("customer-vulnerability", customer_id=found.customer_id)
        return render(request, "assist/withdraw_record.html", {"record": found})
    if do_withdraw_record(found, actor(request)) is None:
        flash.error(request, _("This record was already withdrawn; nothing changed."))
    else:
        flash.success(request, _("Vulnerability record withdrawn; its details were erased."))
    return redirect("customer-vulnerability", customer_id=found.customer_id)


@require_GET
@role_required(Role.SUPERVISOR)
def review_list(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = [
        {
            "record": due,
            "expired": due.status_on(on) == RecordStatus.EXPIRED,
            "drivers": driver_labels(due.drivers),
        }
        for due in records_due_for_review(on)[:REVIEW_LIMIT]
    ]
    return render(request, "assist/review.html", {"rows": rows, "limit": REVIEW_LIMIT})


# --- the signposting library ------------------------------------------------------------


@require_GET
@role_required(Role.ADMIN)
def signpost_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"signpost": s, "kinds": kind_labels(s.kinds)}
        for s in Signpost.objects.order_by("country", "language", "order", "name")
    ]
    return render(request, "assist/signposts.html", {"rows": rows})


def kind_labels(kinds: Any) -> list[str]:
    listed = strings(kinds)
    return [str(SignpostKind(k).label) for k in SignpostKind.values if k in listed]


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def signpost_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render_signpost_form(request, SignpostForm(), None)
    form = SignpostForm(request.POST)
    return save_signpost(request, form, None)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def signpost_edit(request: HttpRequest, signpost_id: int) -> HttpResponse:
    signpost = get_object_or_404(Signpost, pk=signpost_id)
    if request.method == "GET":
        initial = {name: getattr(signpost, name) for name in SIGNPOST_FORM_FIELDS}
        return render_signpost_form(request, SignpostForm(initial=initial), signpost)
    return save_signpost(request, SignpostForm(request.POST), signpost)


SIGNPOST_FORM_FIELDS = [
    "country",
    "language",
    "name",
    "kinds",
    "description",
    "referral_route",
    "url",
    "phone",
    "order",
    "active",
]


def save_signpost(
    request: HttpRequest, form: SignpostForm, signpost: Signpost | None
) -> HttpResponse:
    if not form.is_valid():
        return render_signpost_form(request, form, signpost, status=400)
    try:
        if signpost is None:
            do_create_signpost(form.data_for_library(), actor(request))
        else:
            do_update_signpost(signpost, form.data_for_library(), actor(request))
    except InvalidSignpost as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return render_signpost_form(request, form, signpost, status=400)
    except DuplicateSignpost:
        form.add_error(
            "name", _("The library already lists this organisation for this country and language.")
        )
        return render_signpost_form(request, form, signpost, status=400)
    flash.success(request, _("Signpost saved."))
    return redirect("signposts")


def render_signpost_form(
    request: HttpRequest, form: SignpostForm, signpost: Signpost | None, status: int = 200
) -> HttpResponse:
    context = {"form": form, "signpost": signpost}
    return render(request, "assist/signpost_form.html", context, status=status)


@require_POST
@role_required(Role.ADMIN)
def signpost_set_active(request: HttpRequest, signpost_id: int, active: bool) -> HttpResponse:
    signpost = get_object_or_404(Signpost, pk=signpost_id)
    if do_set_signpost_active(signpost, active, actor(request)) is None:
        flash.error(request, _("Nothing changed."))
    elif active:
        flash.success(request, _("Signpost shown to agents again."))
    else:
        flash.success(request, _("Signpost hidden from agents."))
    return redirect(f"{reverse('signposts')}#signpost-{signpost.pk}")


# --- canned replies ---------------------------------------------------------------------


class CannedForm(forms.Form):
    language = forms.ChoiceField(choices=[], label=gettext_lazy("Language"))
    brand = forms.ModelChoiceField(
        queryset=Brand.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All brands of the group"),
        label=gettext_lazy("Brand"),
    )
    title = forms.CharField(
        max_length=MAX_TITLE,
        label=gettext_lazy("Title"),
        help_text=gettext_lazy("What agents see in the list, for example: Outage apology."),
        error_messages={"max_length": gettext_lazy("A title has at most 120 characters.")},
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    text = forms.CharField(
        max_length=MAX_CANNED_TEXT,
        label=gettext_lazy("Text"),
        help_text=gettext_lazy(
            "{customer_name} and {agent_name} are filled in when an agent uses the reply. The reply guard reads the text before it is saved."
        ),
        error_messages={"max_length": gettext_lazy("A canned reply has at most 2000 characters.")},
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
    )
    topics = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Topics"),
        help_text=gettext_lazy(
            "Offered first in conversations about these topics; leave empty for any conversation."
        ),
    )
    active = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Active"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, LANGUAGE_NAMES.get(code, code)) for code in language_codes()
        ]
        self.fields["topics"].choices = [(t, TOPIC_LABELS[t]) for t in CANNED_TOPICS]

    def data_for_library(self) -> CannedData:
        data = self.cleaned_data
        return CannedData(
            language=data["language"],
            title=data["title"],
            text=data["text"],
            brand=data["brand"],
            topics=list(data["topics"]),
            active=data["active"],
        )


CANNED_FORM_FIELDS = ["language", "brand", "title", "text", "topics", "active"]


@require_GET
@role_required(Role.SUPERVISOR)
def canned_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {"canned": c, "topics": [TOPIC_LABELS[t] for t in strings(c.topics) if t in TOPIC_LABELS]}
        for c in CannedReply.objects.select_related("brand", "updated_by").order_by(
            "language", "title", "pk"
        )
    ]
    return render(request, "assist/canned.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(Role.SUPERVISOR)
def canned_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render_canned_form(request, CannedForm(), None)
    return save_canned(request, CannedForm(request.POST), None)


@require_http_methods(["GET", "POST"])
@role_required(Role.SUPERVISOR)
def canned_edit(request: HttpRequest, canned_id: int) -> HttpResponse:
    canned = get_object_or_404(CannedReply, pk=canned_id)
    if request.method == "GET":
        initial = {name: getattr(canned, name) for name in CANNED_FORM_FIELDS}
        return render_canned_form(request, CannedForm(initial=initial), canned)
    return save_canned(request, CannedForm(request.POST), canned)


def save_canned(request: HttpRequest, form: CannedForm, canned: CannedReply | None) -> HttpResponse:
    if not form.is_valid():
        return render_canned_form(request, form, canned, status=400)
    try:
        if canned is None:
            do_create_canned(form.data_for_library(), actor(request))
        else:
            do_update_canned(canned, form.data_for_library(), actor(request))
    except GuardRefused as refused:
        form.add_error("text", str(refused))
        return render_canned_form(request, form, canned, refused=refused, status=400)
    except InvalidCanned as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return render_canned_form(request, form, canned, status=400)
    except DuplicateCanned:
        form.add_error(
            "title",
            _("There is already a canned reply with this title for this language and brand."),
        )
        return render_canned_form(request, form, canned, status=400)
    flash.success(request, _("Canned reply saved."))
    return redirect("canned")


def render_canned_form(
    request: HttpRequest,
    form: CannedForm,
    canned: CannedReply | None,
    refused: GuardRefused | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "canned": canned,
        "guard": {
            "verdict": refused.verdict,
            "reasons": refused.reasons,
            "advice": [
                {"reason": reason, "advice": advice}
                for reason, advice in zip(
                    refused.reasons, guard_advice(refused.reasons), strict=True
                )
            ],
        }
        if refused is not None
        else None,
    }
    return render(request, "assist/canned_form.html", context, status=status)


@require_POST
@role_required(Role.SUPERVISOR)
def canned_set_active(request: HttpRequest, canned_id: int, active: bool) -> HttpResponse:
    canned = get_object_or_404(CannedReply, pk=canned_id)
    try:
        changed = do_set_canned_active(canned, active, actor(request))
    except GuardRefused as refused:
        advice_text = " ".join(guard_advice(refused.reasons))
        flash.error(
            request,
            _("The reply guard refuses this text now; edit it before offering it again.")
            + f" {advice_text}",
        )
        return redirect(f"{reverse('canned')}#canned-{canned.pk}")
    if changed is None:
        flash.error(request, _("Nothing changed."))
    elif active:
        flash.success(request, _("Canned reply offered to agents again."))
    else:
        flash.success(request, _("Canned reply withdrawn from agents."))
    return redirect(f"{reverse('canned')}#canned-{canned.pk}")


# --- satisfaction -----------------------------------------------------------------------


@require_GET
@role_required(Role.SUPERVISOR)
def csat(request: HttpRequest) -> HttpResponse:
    return render(request, "assist/csat.html", {"report": csat_report()})
