"""The `amparo` command: Django's management commands under amparo's name.

`amparo serve`, `amparo worker`, `amparo ingest`, `amparo agent`, `amparo token` are
amparo's own; every Django command (`amparo migrate`, `amparo shell`) works too.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["amparo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
