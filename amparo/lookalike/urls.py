from __future__ import annotations

from django.urls import path

from amparo.lookalike import views

# Included under "console/": a route starting with "/" would trip Django's URL checks.
urlpatterns = [
    path("official-accounts", views.official_accounts, name="official-accounts"),
    path(
        "official-accounts/brands/<int:brand_id>/add",
        views.official_account_add,
        name="official-account-add",
    ),
    path(
        "official-accounts/brands/<int:brand_id>/domains",
        views.official_domains,
        name="official-domains",
    ),
    path(
        "official-accounts/<int:account_id>/remove",
        views.official_account_remove,
        name="official-account-remove",
    ),
    path("lookalikes", views.finding_list, name="lookalikes"),
    path("lookalikes/export.csv", views.finding_export, name="lookalike-export"),
    path("lookalikes/<int:finding_id>/report", views.finding_report, name="lookalike-report"),
    path("lookalikes/<int:finding_id>/dismiss", views.finding_dismiss, name="lookalike-dismiss"),
]
