"""Login, health, and the admin pages for brands, components and agents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import validate_password
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.core import actions
from amparo.core.access import role_required
from amparo.core.audit import Actor, snapshot
from amparo.core.models import Agent, Brand, Component, ComponentStatus, Role

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


class LoginView(auth_views.LoginView):
    template_name = "amparo/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        agent: Agent = form.get_user()
        if settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, agent.language, samesite="Lax")
        return response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class BrandForm(forms.ModelForm):
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES)

    class Meta:
        model = Brand
        fields = ["slug", "name", "country", "default_language"]


class ComponentForm(forms.ModelForm):
    name_es = forms.CharField(max_length=120, required=False, label="Nombre (es)")
    name_en = forms.CharField(max_length=120, required=False, label="Name (en)")
    name_he = forms.CharField(max_length=120, required=False, label="שם (he)")

    class Meta:
        model = Component
        fields = ["brand", "slug", "name", "status", "position"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ("es", "en", "he"):
            self.fields[f"name_{code}"].initial = self.instance.names.get(code, "")

    def save(self, commit: bool = True) -> Component:
        component = super().save(commit=False)
        component.names = {
            code: self.cleaned_data[f"name_{code}"]
            for code in ("es", "en", "he")
            if self.cleaned_data[f"name_{code}"]
        }
        return component


class AgentCreateForm(forms.Form):
    email = forms.EmailField()
    display_name = forms.CharField(max_length=120, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)
    password = forms.CharField(widget=forms.PasswordInput, min_length=12)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if Agent.objects.filter(email=email).exists():
            raise forms.ValidationError(_("An agent with this email already exists."))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class AgentEditForm(forms.ModelForm):
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES)

    class Meta:
        model = Agent
        fields = ["display_name", "role", "language", "is_active"]


@require_GET
@role_required(Role.ADMIN)
def brand_list(request: HttpRequest) -> HttpResponse:
    return render(request, "amparo/brands.html", {"brands": Brand.objects.all()})


@role_required(Role.ADMIN)
def brand_edit(request: HttpRequest, brand_id: int | None = None) -> HttpResponse:
    brand = get_object_or_404(Brand, pk=brand_id) if brand_id else Brand()
    before = snapshot(brand, actions.BRAND_FIELDS) if brand.pk else None
    form = BrandForm(request.POST or None, instance=brand)
    if request.method == "POST" and form.is_valid():
        actions.do_save_brand(form.save(commit=False), Actor.of_agent(request.user), before)  # type: ignore[arg-type]
        flash.success(request, _("Saved."))
        return redirect("brands")
    return render(
        request,
        "amparo/form.html",
        {"form": form, "title": _("Brand"), "back": "brands"},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@role_required(Role.SUPERVISOR)
def component_list(request: HttpRequest) -> HttpResponse:
    components = Component.objects.select_related("brand")
    return render(
        request,
        "amparo/components.html",
        {"components": components, "statuses": ComponentStatus.choices},
    )


@role_required(Role.ADMIN)
def component_edit(request: HttpRequest, component_id: int | None = None) -> HttpResponse:
    component = get_object_or_404(Component, pk=component_id) if component_id else Component()
    before = snapshot(component, actions.COMPONENT_FIELDS) if component.pk else None
    form = ComponentForm(request.POST or None, instance=component)
    if request.method == "POST" and form.is_valid():
        actions.do_save_component(form.save(commit=False), Actor.of_agent(request.user), before)  # type: ignore[arg-type]
        flash.success(request, _("Saved."))
        return redirect("components")
    return render(
        request,
        "amparo/form.html",
        {"form": form, "title": _("Component"), "back": "components"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(Role.SUPERVISOR)
def component_status(request: HttpRequest, component_id: int) -> HttpResponse:
    component = get_object_or_404(Component, pk=component_id)
    status = request.POST.get("status", "")
    if status not in ComponentStatus.values:
        flash.error(request, _("Unknown status."))
        return redirect("components")
    actions.do_set_component_status(component, status, Actor.of_agent(request.user))  # type: ignore[arg-type]
    flash.success(request, _("Status changed."))
    return redirect("components")


@require_GET
@role_required(Role.ADMIN)
def agent_list(request: HttpRequest) -> HttpResponse:
    return render(request, "amparo/agents.html", {"agents": Agent.objects.all()})


@role_required(Role.ADMIN)
def agent_new(request: HttpRequest) -> HttpResponse:
    form = AgentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_create_agent(
            data["email"],
            data["password"],
            data["role"],
            Actor.of_agent(request.user),  # type: ignore[arg-type]
            display_name=data["display_name"],
            language=data["language"],
        )
        flash.success(request, _("Agent created."))
        return redirect("agents")
    return render(
        request,
        "amparo/form.html",
        {"form": form, "title": _("New agent"), "back": "agents"},
        status=400 if request.method == "POST" else 200,
    )


@role_required(Role.ADMIN)
def agent_edit(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = get_object_or_404(Agent, pk=agent_id)
    form = AgentEditForm(request.POST or None, instance=Agent.objects.get(pk=agent.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in AgentEditForm.Meta.fields}
        if agent.pk == request.user.pk and (
            changes["role"] != Role.ADMIN or not changes["is_active"]
        ):
            flash.error(request, _("You cannot remove your own administrator rights."))
            return redirect("agents")
        actions.do_update_agent(agent, Actor.of_agent(request.user), **changes)  # type: ignore[arg-type]
        flash.success(request, _("Saved."))
        return redirect("agents")
    return render(
        request,
        "amparo/form.html",
        {"form": form, "title": agent.email, "back": "agents"},
        status=400 if request.method == "POST" else 200,
    )
