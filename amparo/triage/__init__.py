"""Triage: what a message is about, in which language, and what must not be stored."""
