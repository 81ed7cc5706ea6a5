"""The result of a run: one row per flagged (rule, table, row), and what did not run."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..read import RawTable, ReadIssue
from ..rules import Rule
from ..rules.engine import Outcome
from .cells_to_change import input_fields
from .groups import error_group
from .last_year import last_year_values

COLUMNS = ["code", "message", "table", "row", "child", "fields", "cell", "source", "severity"]


@dataclass
class Report:
    findings: pd.DataFrame
    skipped: dict[str, str]
    failed: dict[str, str]
    ran: list[str]
    year: str
    collection_start: pd.Timestamp
    collection_end: pd.Timestamp
    rules: dict[str, Rule]
    tables: dict[str, RawTable] = field(repr=False, default_factory=dict)
    issues: list[ReadIssue] = field(default_factory=list)
    seconds: dict[str, float] = field(repr=False, default_factory=dict)
    inputs: dict = field(default_factory=dict)  # files, council code and year the run used (api.inputs_used)
    prepared: object = field(default=None, repr=False, compare=False)  # the prepare.Data the rules read
    _last_year: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        return (f"<Report {self.year}: {len(self.findings)} findings from {self.findings['code'].nunique()} "
                f"rules; {len(self.ran)} ran, {len(self.skipped)} skipped, {len(self.failed)} failed>")

    @property
    def children_with_errors(self) -> int:
        return self.findings.loc[self.findings["child"] != "", "child"].nunique()

    def without_local(self) -> Report:
        """The same run with the council's own (local) rules' findings left out."""
        local = {c for c, r in self.rules.items() if r.source == "local"}
        return replace(self, findings=self.findings[self.findings["source"] != "local"].reset_index(drop=True),
                       rules={c: r for c, r in self.rules.items() if c not in local},
                       ran=[c for c in self.ran if c not in local],
                       skipped={c: s for c, s in self.skipped.items()  # local codes and problem rows: "L..." / "row N"
                                if not c.startswith(("L", "row "))},
                       failed={c: s for c, s in self.failed.items() if c not in local})

    def by_rule(self) -> pd.DataFrame:
        """Findings per rule, most frequent first, with the share of all findings."""
        f = self.findings
        counts = f.groupby("code", sort=False).size().rename("findings").reset_index()
        counts["message"] = counts["code"].map(lambda c: self.rules[c].message if c in self.rules else "")
        counts["group"] = counts["code"].map(lambda c: error_group(self.rules[c]) if c in self.rules else "")
        counts["share"] = counts["findings"] / max(len(f), 1)
        return counts.sort_values(["findings", "code"], ascending=[False, True]).reset_index(drop=True)

    def by_group(self) -> pd.DataFrame:
        g = self.by_rule().groupby("group", sort=False).agg(findings=("findings", "sum"), rules=("code", "count"))
        g["share"] = g["findings"] / max(len(self.findings), 1)
        return g.sort_values("findings", ascending=False).reset_index()

    def last_year(self) -> pd.Series:
        """Per finding, last year's values of its fields where the rule compares with last year
        (worked out once per set of findings: notes, Errors and chase lists all show it)."""
        if self._last_year is None or self._last_year[0] is not self.findings:
            self._last_year = (self.findings, last_year_values(self))
        return self._last_year[1]

    def by_child(self) -> pd.DataFrame:
        f = self.findings[self.findings["child"] != ""]
        out = f.groupby("child").agg(findings=("code", "size"), rules=("code", "nunique"))
        return out.sort_values(["findings", "rules"], ascending=False).reset_index()


def finding_label(findings: pd.DataFrame) -> pd.Series:
    """How a finding's rule is named to the analyst: '103', or 'L001 (local, warning)' for a council's own rule."""
    label = findings["code"].astype(str)
    if "source" not in findings:
        return label
    local = (findings["source"] == "local").to_numpy()
    return label.where(~local, label + " (local, " + findings["severity"].astype(str) + ")")


def column_letter(col: int) -> str:
    """'A' for 1, 'AA' for 27: computed here, so building a report does not load openpyxl."""
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_address(sheet: str, col: int, row: int) -> str:
    name = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{column_letter(col)}{row}"


def build(outcome: Outcome, rules: dict[str, Rule], tables: dict[str, RawTable], **meta) -> Report:
    """Findings from the engine's positions: ``row`` is the source's 0-based data row (blank
    rows counted) and ``cell`` where the first highlighted field is shown (see ``RawTable.layout``)."""
    parts = []
    for code, table, pos in outcome.hits:
        raw = tables[table]
        fields = tuple(f for f in input_fields(code, rules[code].fields.get(table, ()))
                       if f in raw.cols or f in raw.frame.columns)
        child = raw.frame["CHILD"].to_numpy()[pos] if "CHILD" in raw.frame.columns else np.full(len(pos), "")
        sheet, rows, cols = raw.layout()
        anchor = next((f for f in fields if f in cols), "CHILD" if "CHILD" in cols else None)
        prefix = cell_address(sheet, cols.get(anchor, 1), 1)[:-1]
        parts.append(pd.DataFrame({
            "code": code, "message": rules[code].message, "table": table, "row": raw.data_rows[pos],
            "child": child, "fields": [fields] * len(pos), "cell": prefix + rows[pos].astype(str).astype(object),
            "source": rules[code].source, "severity": rules[code].severity,
        }))
    findings = (pd.concat(parts, ignore_index=True) if parts
                else pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}))
    findings["row"] = findings["row"].astype("int64")
    return Report(findings=findings[COLUMNS], skipped=outcome.skipped, failed=outcome.failed, ran=outcome.ran,
                  rules=rules, tables=tables, seconds=outcome.seconds, **meta)
