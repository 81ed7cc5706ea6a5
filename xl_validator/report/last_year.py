"""Last year's values beside a finding of a rule that compares with last year's return, so the
analyst sees what was sent before without opening the other file."""
from __future__ import annotations

import pandas as pd

from .. import catalogue

NOT_LAST_YEAR = "not in last year's return"
MAX_VALUES = 3  # a child with many episodes last year: the last few distinct values


def last_year_tables(rule) -> list[str]:
    """The ``*_last`` tables the rule's specification says it reads (none for a council's own rule)."""
    if getattr(rule, "source", "DfE") == "local":
        return []
    reads = catalogue.rule_versions(rule.code).get(rule.version, {}).get("reads", [])
    return [t for t in reads if t.endswith("_last")]


def last_year_values(report) -> pd.Series:
    """Per finding (aligned to ``report.findings``): 'FIELD: value' for each highlighted field,
    from the same child's rows of last year's table, or '' where the rule does not compare with
    last year. A child missing from last year's return says so."""
    f = report.findings
    out = pd.Series("", index=f.index, dtype=object)
    lookups: dict[tuple[str, str], dict[str, str]] = {}
    children = set(f["child"])
    for (code, table), group in f.groupby(["code", "table"], sort=False):
        rule = report.rules.get(code)
        if rule is None or table.endswith("_last"):
            continue  # a finding on last year's own row already shows last year's values
        sources = [t for t in last_year_tables(rule) if t in report.tables]
        sources.sort(key=lambda t: t != table + "_last")  # the same table of last year first
        if not sources:
            continue
        texts = []
        for child, fields in zip(group["child"], group["fields"]):
            parts = []
            for field in fields:
                where = next((t for t in sources if field in report.tables[t].frame.columns), None)
                if where is None:
                    continue
                if (where, field) not in lookups:  # once per table and field, not once per finding
                    lookups[(where, field)] = _values_by_child(report.tables[where].frame, field, children)
                values = lookups[(where, field)]
                parts.append(f"{field}: {values.get(child, NOT_LAST_YEAR)}")
            texts.append("; ".join(parts))
        out.loc[group.index] = texts
    return out


def _values_by_child(frame: pd.DataFrame, field: str, children: set) -> dict[str, str]:
    """Per child, its distinct values in the order first seen (the last few of them)."""
    if "CHILD" not in frame.columns:
        return {}
    rows = frame.loc[frame["CHILD"].isin(children), ["CHILD", field]]
    shown = rows[field].where(rows[field].astype(str).str.strip() != "", "(blank)")
    distinct = pd.DataFrame({"CHILD": rows["CHILD"], "value": shown}).drop_duplicates()
    last = distinct[distinct.groupby("CHILD", sort=False).cumcount(ascending=False) < MAX_VALUES]
    values: dict[str, list[str]] = {}
    for child, value in zip(last["CHILD"], last["value"]):  # a plain loop: a per-child pandas call cost ~1 s
        values.setdefault(child, []).append(value)
    return {child: ", ".join(v) for child, v in values.items()}
