"""Reply guard benchmark: replies read per second, patterns alone and with the
classifiers, and the cost of loading or training the classifiers.

    .venv/bin/python benchmarks/guard.py [--rounds 3]

Every labelled reply in amparo/assist/data (development and held-out sets) is guarded
`--rounds` times in one process pinned to one CPU; the classifiers are loaded first and
timed apart (from AMPARO_MODEL_DIR if a saved copy matches, else trained). A reply in the
console is guarded once, before it is sent: milliseconds matter, throughput hardly.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
os.environ.setdefault("AMPARO_DATA_DIR", tempfile.mkdtemp(prefix="amparo-bench-guard-"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import django

    django.setup()
    from amparo.assist import learned
    from amparo.assist.evaluate import DEVELOPMENT, HELDOUT, items
    from amparo.assist.guard import guard

    rows = items(DEVELOPMENT + HELDOUT)
    learned.forget()
    start = time.perf_counter()
    learned.models()
    print(f"classifiers ready in {time.perf_counter() - start:.2f} s", flush=True)
    learned.forget()
    start = time.perf_counter()
    learned.models()
    print(f"classifiers loaded again in {time.perf_counter() - start:.2f} s", flush=True)

    for label, with_classifiers in (("patterns", False), ("patterns and classifiers", True)):
        count = 0
        start = time.perf_counter()
        for round_ in range(args.rounds):
            for number, row in enumerate(rows, 1):
                guard(
                    str(row["text"]),
                    customer_language=str(row.get("customer_language") or "") or None,
                    distressed=bool(row.get("distressed")),
                    learned=with_classifiers,
                )
                count += 1
                if number % 500 == 0:
                    print(f"\r  {label}: round {round_ + 1}, {number}/{len(rows)}", end="")
        elapsed = time.perf_counter() - start
        print(
            f"\r{label}: {count / elapsed:,.0f} replies/s, "
            f"{elapsed / count * 1000:.2f} ms per reply ({count} replies)",
            flush=True,
        )


if __name__ == "__main__":
    main()
