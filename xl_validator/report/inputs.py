"""What a run was given, in words, and the rules skipped grouped by the input that would run them,
so every front door can say "38 rules need last year's return: --previous FILE"."""
from __future__ import annotations

import re

from ..prepare.postcodes import PACKAGE
from . import Report

# input: (what it is, how to give it on the command line, how to give it in Excel)
INPUTS = {
    "previous": ("last year's return", "--previous FILE", "Settings > Last year's return"),
    "providers": ("the Ofsted provider lists", "--providers FILE", "Settings > Ofsted provider lists"),
    "local_authority": ("your council code", "--la CODE", "Settings > Local authority"),
    "postcodes": ("the postcode data", f"install {PACKAGE} into the Python that runs xl_validator",
                  "the same package for the add-in's Python"),
}
_REASONS = (  # a skipped rule's reason -> the input that would run it
    (re.compile(r"last year's (\w+) table was not supplied"), "previous"),
    (re.compile(r"Ofsted provider lists not supplied"), "providers"),
    (re.compile(r"local authority not given"), "local_authority"),
    (re.compile(r"postcode data not available"), "postcodes"),
)


def needed_input(reason: str) -> str | None:
    for pattern, key in _REASONS:
        if pattern.search(reason):
            return key
    return None


def skipped_by_input(report: Report) -> list[tuple[str, list[str]]]:
    """(a sentence, the rule codes) per input that would run skipped rules, most rules first. A
    last year's return that was given but lacks a table is named as such, not asked for again."""
    groups: dict[str, list[str]] = {}
    lacking: set[str] = set()
    for code, reason in sorted(report.skipped.items()):
        key = needed_input(reason)
        if key == "previous" and report.inputs.get("previous"):
            lacking.add(re.search(r"last year's (\w+) table", reason).group(1))
            key = "previous tables"
        groups.setdefault(key or "return", []).append(code)
    out = []
    for key, codes in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        n = f"{len(codes)} rule{'s' if len(codes) != 1 else ''}"
        if key in INPUTS:
            what, cli, excel = INPUTS[key]
            text = f"{n} need {what}: {cli}, or {excel}"
        elif key == "previous tables":
            text = f"{n} need tables last year's return does not have ({', '.join(sorted(lacking))})"
        else:
            text = f"{n} need tables or columns this return does not have"
        out.append((text, codes))
    return out


def inputs_rows(report: Report) -> list[tuple[str, str]]:
    """(label, value) rows naming the files, council and year the run used."""
    i = report.inputs
    if not i:
        return []
    la = i.get("local_authority")
    return [
        ("Return", i.get("return") or ""),
        ("Collection year", f"{report.year} ({i.get('year_chosen', 'given')})"),
        ("Last year's return", i.get("previous") or "not given"),
        ("Ofsted provider lists", "; ".join(i.get("providers") or []) or "not given"),
        ("Council code", f"{la} ({i.get('local_authority_name')})" if la else "not given"),
        ("Postcode data", "used" if i.get("postcodes") else "not installed"),
    ]
