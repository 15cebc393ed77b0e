from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from amparo.core import views

urlpatterns = [
    path("login", views.LoginView.as_view(), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("console/brands", views.brand_list, name="brands"),
    path("console/brands/new", views.brand_edit, name="brand-new"),
    path("console/brands/<int:brand_id>", views.brand_edit, name="brand-edit"),
    path("console/components", views.component_list, name="components"),
    path("console/components/new", views.component_edit, name="component-new"),
    path("console/components/<int:component_id>", views.component_edit, name="component-edit"),
    path(
        "console/components/<int:component_id>/status",
        views.component_status,
        name="component-status",
    ),
    path("console/agents", views.agent_list, name="agents"),
    path("console/agents/new", views.agent_new, name="agent-new"),
    path("console/agents/<int:agent_id>", views.agent_edit, name="agent-edit"),
]
