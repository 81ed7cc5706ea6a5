"""The words a Local rules sheet may use, read from checks.json beside this module."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def vocabulary() -> dict:
    return json.loads(resources.files(__package__).joinpath("checks.json").read_text(encoding="utf-8"))


def squeeze(text) -> str:
    """Lower case with runs of spaces made one, so 'On or  Before' reads as 'on or before'."""
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def match_check(text: str) -> tuple[dict, dict] | None:
    """(the check's entry, the numbers its name carries, e.g. {'n': '20', 'unit': 'working days'})."""
    said = squeeze(text)
    for entry in vocabulary()["checks"]:
        hit = re.match(entry["match"], said)
        if hit:
            return entry, hit.groupdict()
    return None


def check_names() -> list[str]:
    return [e["check"] for e in vocabulary()["checks"]]


def severities() -> list[str]:
    return list(vocabulary()["severities"])
