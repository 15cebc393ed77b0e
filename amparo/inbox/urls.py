from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView

from amparo.inbox import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inbox", permanent=False)),
    path("inbox", views.inbox, name="inbox"),
    path("inbox/rows", views.inbox_rows, name="inbox-rows"),
    path("conversations/<int:conversation_id>", views.conversation_detail, name="conversation"),
    path(
        "conversations/<int:conversation_id>/thread",
        views.conversation_thread,
        name="conversation-thread",
    ),
    path(
        "conversations/<int:conversation_id>/reply",
        views.conversation_reply,
        name="conversation-reply",
    ),
    path(
        "conversations/<int:conversation_id>/assign",
        views.conversation_assign,
        name="conversation-assign",
    ),
    path(
        "conversations/<int:conversation_id>/topics",
        views.conversation_topics,
        name="conversation-topics",
    ),
    path(
        "conversations/<int:conversation_id>/status",
        views.conversation_status,
        name="conversation-status",
    ),
]
