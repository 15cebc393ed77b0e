"""Outage radar: complaint-surge detection per brand, component/topic and channel."""
