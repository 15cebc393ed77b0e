"""The UTS #39 skeleton, from Unicode's confusables.txt shipped in data/.

skeleton(X) = NFD(X), each character replaced by its prototype from confusables.txt,
then NFD again (Unicode Technical Standard #39, section 4). The mappings are
case-sensitive on purpose: `I` (capital i) maps to `l`, which lowercasing first would
destroy, and `0` maps to `O`. No maintained package implements this, so it is here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "confusables.txt"


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    mapping: dict[int, str] = {}
    for raw in DATA.read_text(encoding="utf-8-sig").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = [field.strip() for field in line.split(";")]
        if len(fields) < 2 or not fields[0]:
            continue
        source = int(fields[0], 16)
        target = "".join(chr(int(code, 16)) for code in fields[1].split())
        mapping[source] = target
    return mapping


def skeleton(text: str) -> str:
    mapped = unicodedata.normalize("NFD", text).translate(table())
    return unicodedata.normalize("NFD", mapped)
