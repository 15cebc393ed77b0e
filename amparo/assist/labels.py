"""Names of triage's distress cues as agents read them, in the console's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CUE_LABELS = {
    "no_money_for_food": _("No money for food"),
    "children_affected": _("Children affected"),
    "no_money_rent_bills": _("Cannot pay rent or bills"),
    "no_money_at_all": _("No money at all"),
    "payday_missing": _("Pay or benefits not arrived"),
    "job_loss": _("Lost their job"),
    "bereavement": _("Bereavement"),
    "relationship_breakdown": _("Relationship breakdown"),
    "illness": _("Illness"),
    "mental_health": _("Mental health"),
    "self_harm": _("Risk of self-harm"),
    "desperation": _("Desperation"),
    "elderly_or_digital": _("Older or not confident online"),
    "language_or_reading": _("Language or reading"),
}


def cue_label(name: str) -> str:
    return str(CUE_LABELS.get(name, name))
