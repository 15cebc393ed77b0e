"""Topic names as agents read them, in the console's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TOPIC_LABELS = {
    "payment_failed": _("Payment failed"),
    "cannot_login": _("Cannot log in"),
    "app_down": _("App or site down"),
    "balance_wrong": _("Balance wrong"),
    "transfer_problem": _("Transfer problem"),
    "card_declined": _("Card declined"),
    "card_lost_stolen": _("Card lost or stolen"),
    "fees_interest": _("Fees and interest"),
    "refund_dispute": _("Refund or dispute"),
    "scam_report": _("Scam report"),
    "hardship": _("Hardship"),
    "order_delivery": _("Order or delivery"),
    "account_info": _("Account information"),
    "complaint_service": _("Service complaint"),
    "other": _("Other"),
}
