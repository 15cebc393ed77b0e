"""What amparo's commands share for reading their input files."""

from __future__ import annotations

from typing import IO

from django.core.management.base import CommandError


def open_input(name: str) -> IO[bytes]:
    """A file opened for reading bytes; a clear CommandError when it cannot be."""
    try:
        return open(name, "rb")  # noqa: SIM115
    except OSError as exc:
        raise CommandError(f"{name}: {exc.strerror}") from None
