"""Where each finding sits in the output workbook: sheet, row and column of every flagged cell."""
from __future__ import annotations

import pandas as pd

from .. import catalogue
from ..read import RawTable
from ..report import finding_label


def note_lines(cells: pd.DataFrame, last_year: pd.Series | None = None, since: pd.Series | None = None) -> pd.Series:
    """The text of each cell's note: one 'label: message' line per rule that flagged it, with last
    year's values where the rule compares with last year (``last_year``: per finding, as
    ``Report.last_year``) and the date an earlier run first saw it (``since``: per finding, NaT if new)."""
    seen = cells.drop_duplicates(["sheet", "row", "col", "code"])
    before = seen["finding"].map(last_year).fillna("") if last_year is not None else pd.Series("", index=seen.index)
    line = seen["label"] + ": " + seen["message"] + before.map(lambda t: f" [last year: {t}]" if t else "")
    if since is not None:
        line += seen["finding"].map(since).map(lambda d: "" if pd.isna(d) else f" (open since {d:%d/%m/%Y})")
    codes, cells_seen = pd.MultiIndex.from_frame(seen[["sheet", "row", "col"]]).factorize()  # first-seen order
    lines: list[list[str]] = [[] for _ in range(len(cells_seen))]
    for code, text in zip(codes.tolist(), line.tolist()):  # a Python loop: a groupby join is ten times slower
        lines[code].append(text)
    return pd.Series(["\n".join(t) for t in lines], index=cells_seen.set_names(["sheet", "row", "col"]), name="line",
                     dtype=line.dtype)


def flagged_cells(findings: pd.DataFrame, tables: dict[str, RawTable]) -> pd.DataFrame:
    """One row per (finding, highlighted field): code, message, label, table, sheet, row, col, field,
    and ``finding``, the finding's index label.

    A finding with no highlighted fields points at the row's CHILD cell.
    """
    parts = []
    for table, group in findings.groupby("table", sort=False):
        raw = tables.get(table)
        if raw is None:
            continue
        sheet, rows, cols = raw.layout()
        exploded = group.assign(field=group["fields"].map(lambda f: list(f) or ["CHILD"])).explode("field")
        exploded = exploded[exploded["field"].isin(list(cols))]
        parts.append(pd.DataFrame({
            "code": exploded["code"].to_numpy(), "message": exploded["message"].to_numpy(),
            "label": finding_label(exploded).to_numpy(),
            "table": table, "child": exploded["child"].to_numpy(), "sheet": sheet,
            "row": rows[raw.positions(exploded["row"].to_numpy())], "col": exploded["field"].map(cols).to_numpy(),
            "field": exploded["field"].to_numpy(), "finding": exploded.index.to_numpy(),
        }))
    if not parts:
        return pd.DataFrame(columns=["code", "message", "label", "table", "child", "sheet", "row", "col", "field",
                                     "finding"])
    return pd.concat(parts, ignore_index=True)


def output_tables(tables: dict[str, RawTable], year: str) -> list[RawTable]:
    """This year's tables in the DfE's order (last year's are listed, not copied)."""
    order = list(catalogue.tables(year))
    return sorted((t for t in tables.values() if not t.name.endswith("_last")),
                  key=lambda t: order.index(t.name) if t.name in order else len(order))
