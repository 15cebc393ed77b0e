"""Channels: one package per channel (inbound parsing, outbound transport, health)."""
