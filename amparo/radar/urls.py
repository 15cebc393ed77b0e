from __future__ import annotations

from django.urls import path

from amparo.radar import views

# Included under "console/": a route starting with "/" would trip Django's URL checks.
urlpatterns = [
    path("radar", views.suggestion_list, name="radar"),
    path("radar/<int:suggestion_id>", views.suggestion_detail, name="radar-suggestion"),
    path("radar/<int:suggestion_id>/declare", views.suggestion_declare, name="radar-declare"),
    path("radar/<int:suggestion_id>/dismiss", views.suggestion_dismiss, name="radar-dismiss"),
]
