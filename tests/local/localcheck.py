"""Run local rules written as sheet rows on a few hand-written table rows."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))
from rulecheck import frame  # noqa: E402

from xl_validator.api import validate_return  # noqa: E402
from xl_validator.read import read_return  # noqa: E402
from xl_validator.rules.local import load_local_rules  # noqa: E402
from xl_validator.rules.local.vocabulary import vocabulary  # noqa: E402

HEADINGS = vocabulary()["columns"]  # code, message, severity, table, column, check, value, only_when, notes


def rule_row(code="L001", table="Header", column="UPN", check="required", value="", only_when="",
             severity="error", message="a local check", notes="") -> list:
    return [code, message, severity, table, column, check, value, only_when, notes]


def load(*rows, year="2025/26", lists=None):
    lists = {k.lower(): v for k, v in (lists or {}).items()}
    return load_local_rules(None, year, own_rows=[HEADINGS, *rows], own_where="test sheet",
                            own_sheets=lambda name: lists.get(name.lower()))


def flagged(row: list, year="2025/26", lists=None, **tables) -> list[int]:
    """Positions the one local rule in ``row`` flags; asserts it was usable and ran."""
    local = load(row, year=year, lists=lists)
    assert not local.problems and not local.notes, [str(p) for p in local.problems] + local.notes
    report = run(local, year, **tables)
    code = row[0]
    assert code in report.ran, report.skipped.get(code) or report.failed.get(code)
    return sorted(report.findings.loc[report.findings["code"] == code, "row"].tolist())


def run(local, year="2025/26", **tables):
    this = read_return({t: frame(t, rows) for t, rows in tables.items()}, year=year)
    return validate_return(this, year, local_rules=local, rules=list(local.rules) or ["101"], postcodes=None)
