from __future__ import annotations

from django.urls import path

from amparo.assist import views

# Included under "console/": a route starting with "/" would trip Django's URL checks.
urlpatterns = [
    path(
        "customers/<int:customer_id>/vulnerability",
        views.customer_vulnerability,
        name="customer-vulnerability",
    ),
    path(
        "vulnerability/<int:record_id>/withdraw",
        views.record_withdraw,
        name="vulnerability-withdraw",
    ),
    path("vulnerability/review", views.review_list, name="vulnerability-review"),
    path("signposts", views.signpost_list, name="signposts"),
    path("signposts/new", views.signpost_new, name="signpost-new"),
    path("signposts/<int:signpost_id>/edit", views.signpost_edit, name="signpost-edit"),
    # One view each: the URL says whether the item is shown or hidden.
    path(
        "signposts/<int:signpost_id>/deactivate",
        views.signpost_set_active,
        {"active": False},
        name="signpost-deactivate",
    ),
    path(
        "signposts/<int:signpost_id>/activate",
        views.signpost_set_active,
        {"active": True},
        name="signpost-activate",
    ),
    path("canned", views.canned_list, name="canned"),
    path("canned/new", views.canned_new, name="canned-new"),
    path("canned/<int:canned_id>/edit", views.canned_edit, name="canned-edit"),
    path(
        "canned/<int:canned_id>/deactivate",
        views.canned_set_active,
        {"active": False},
        name="canned-deactivate",
    ),
    path(
        "canned/<int:canned_id>/activate",
        views.canned_set_active,
        {"active": True},
        name="canned-activate",
    ),
    path("csat", views.csat, name="csat"),
]
