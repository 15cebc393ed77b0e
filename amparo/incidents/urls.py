from __future__ import annotations

from django.urls import path

from amparo.incidents import views

urlpatterns = [
    path("", views.status_page, name="status"),
    path(".json", views.status_json, name="status-json"),
]
