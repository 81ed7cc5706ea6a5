"""An anonymised error profile of one run: counts only, so councils can compare without
sharing child-level data.

The profile is one small JSON file (``FORMAT`` below, documented in the README): the
council, year, run date and tool version, how many children, episodes and reviews the
return holds, which rules ran and which were skipped, and per rule and per error group
the number of findings and of children affected. No CHILD, no value and no date from the
return is written; ``failed`` lists only rule codes, as an error text could quote a value.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..read import InputError
from . import Report
from .groups import error_group

FORMAT = "xl_validator error profile"
FORMAT_VERSION = 1


def _children(report: Report, rows) -> int:
    return int(rows.loc[rows["child"].astype(str).str.strip() != "", "child"].nunique())


def error_profile(report: Report, council: str | None, at: datetime | None = None) -> dict:
    """The profile of ``report`` as a dict ready for JSON. A council's own (local) rules are
    left out: another council's L001 is another check, so they cannot be compared."""
    report = report.without_local()
    f = report.findings
    header = report.tables.get("Header")
    episodes, reviews = report.tables.get("Episodes"), report.tables.get("Reviews")
    children = set()
    for name in ("Header", "Episodes"):
        t = report.tables.get(name)
        if t is not None and "CHILD" in t.frame:
            children |= set(t.frame["CHILD"][t.frame["CHILD"].str.strip() != ""])
    by_rule = {}
    for code, rows in f.groupby("code", sort=True):
        by_rule[code] = {"group": error_group(report.rules[code]) if code in report.rules else "Other",
                         "findings": int(len(rows)), "children": _children(report, rows)}
    groups = f.assign(group=f["code"].map(lambda c: by_rule[c]["group"]))
    by_group = {g: {"findings": int(len(rows)), "children": _children(report, rows)}
                for g, rows in groups.groupby("group", sort=True)}
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "council": council or "", "year": report.year,
        "run_at": (at or datetime.now()).isoformat(timespec="seconds"), "tool_version": __version__,
        "children": len(children) if header is None else int(len(header)),
        "episodes": int(len(episodes)) if episodes is not None else 0,
        "reviews": int(len(reviews)) if reviews is not None else 0,
        "rules_run": sorted(report.ran),
        "rule_versions": {code: report.rules[code].version for code in sorted(report.ran) if code in report.rules},
        "rules_skipped": sorted(report.skipped),
        "rules_failed": sorted(report.failed),
        "findings": int(len(f)), "children_with_errors": _children(report, f),
        "by_rule": by_rule, "by_group": by_group,
    }


def read_profile(path) -> dict:
    """A profile file, checked to be one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: not an xl_validator error profile, which is a JSON file written by "
                         f"'xl-validator profile' ({e})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"{path}: not an xl_validator error profile (write one with 'xl-validator profile')")
    if data.get("format_version", 0) > FORMAT_VERSION:
        raise InputError(f"{path}: written by a newer xl_validator (profile format {data['format_version']}); "
                         "update this tool to read it")
    data["_source"] = str(path)
    return data


def profile_json(profile: dict) -> str:
    return json.dumps({k: v for k, v in profile.items() if not k.startswith("_")}, indent=1, sort_keys=False)
