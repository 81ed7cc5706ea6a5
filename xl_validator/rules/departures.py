"""Where this tool knowingly differs from a rule's spec `logic`, and the evidence for it.

The list is data (``departures.json``): analysts see it on the annotated copy's
hidden Rules sheet, with ``xl-validator rules --departures`` and in the README, so
a difference from another validator is never a surprise. Each entry names the rule
version (or ``*`` for the whole project) and one kind of evidence.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from .. import catalogue

EVIDENCE = {
    "dfe_coding": "the DfE's own coding of the rule says otherwise",
    "crash": "the spec's logic would crash",
    "missing_column": "the spec's logic reads a column that does not exist",
    "open_reading": "the spec's notes leave the reading open",
    "project": "a project-wide decision, the same for every rule",
}


@lru_cache(maxsize=None)
def all_departures() -> tuple[dict, ...]:
    text = resources.files(__package__).joinpath("departures.json").read_text(encoding="utf-8")
    return tuple(json.loads(text))


def departures(year: str | None = None) -> list[dict]:
    """The departures that apply in ``year``: project-wide ones and those of each rule version
    in force that year (all of them when no year is given)."""
    if year is None:
        return list(all_departures())
    year = catalogue.normalise_year(year)
    out = []
    for d in all_departures():
        if d["code"] == "*":
            out.append(d)
        elif d["code"] in catalogue.in_force(year) and catalogue.rule_meta(d["code"], year)["version"] == d["version"]:
            out.append(d)
    return out


def by_code(year: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for d in departures(year):
        out.setdefault(d["code"], []).append(d)
    return out


def markdown() -> str:
    """The README's table of departures (kept equal to the data by a test)."""
    lines = ["| rule | version | what this tool does differently | evidence |", "| --- | --- | --- | --- |"]
    for d in sorted(all_departures(), key=lambda d: (d["code"] != "*", d["code"], d["version"])):
        code = "all rules" if d["code"] == "*" else d["code"]
        lines.append(f"| {code} | {d['version']} | {d['differs']} | {d['evidence']}: {d['why']} |")
    return "\n".join(lines)
