"""The regional benchmark workbook: where a council stands against the others, per rule and
per error group, and how each council's errors per 100 children moved over time."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..outputs import save_atomically
from ..report.benchmark import Benchmark, where_we_stand
from ..sheet_text import append

HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MINE_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
RATE = "0.0"


def _header(ws, row: int, titles: list[str]) -> None:
    for col, title in enumerate(titles, start=1):
        c = ws.cell(row=row, column=col, value=title)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws, widths) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _print_wide(ws) -> None:
    """Landscape, as wide as one page, as long as it needs."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def _wide(ws, b: Benchmark, long: pd.DataFrame, key: str, label: str) -> None:
    """One row per rule or group, a column per council, then the region's spread."""
    names = list(b.councils.sort_values("name")["name"])
    table = long.pivot_table(index=key, columns="name", values="per_100", aggfunc="first").reindex(columns=names)
    spread = long.groupby(key)[["median", "q1", "q3"]].first()
    first = [label] + (["Group"] if key == "code" else [])
    _header(ws, 1, first + names + ["Region median", "Lower quartile", "Upper quartile"])
    groups = long.groupby(key)["group"].first() if key == "code" else None
    for k in table.index:
        lead = [k] + ([groups[k]] if groups is not None else [])
        append(ws, lead + [round(float(v), 2) for v in table.loc[k]] + [round(float(spread.loc[k, c]), 2)
                                                                      for c in ("median", "q1", "q3")])
    for row in ws.iter_rows(min_row=2, min_col=len(first) + 1):
        for c in row:
            c.number_format = RATE
    if b.chosen is not None:
        mine = b.councils.loc[b.councils["council"] == b.chosen, "name"].iloc[0]
        col = len(first) + names.index(mine) + 1
        for row in range(1, ws.max_row + 1):
            ws.cell(row=row, column=col).fill = MINE_FILL if row > 1 else HEADER_FILL
    ws.freeze_panes = ws.cell(row=2, column=len(first) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{ws.max_row}"
    _widths(ws, [10 if key == "code" else 28] + ([24] if key == "code" else []) + [14] * (len(names) + 3))


def _where_we_stand(ws, b: Benchmark) -> None:
    mine = b.councils[b.councils["council"] == b.chosen].iloc[0]
    ws["A1"] = f"Where we stand: {mine['name']}, {b.year}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (f"{mine['per_100']:.1f} errors per 100 children (region median {mine['median']:.1f}); "
                f"rank {int(mine['rank'])} of {len(b.councils)} (1 = fewest errors).")
    worst, best = where_we_stand(b)
    row, chart = 4, None
    for title, rows in (("Rules where we are furthest above the region", worst),
                        ("Rules where we are furthest below the region", best)):
        ws.cell(row=row, column=1, value=title).font = Font(bold=True)
        _header(ws, row + 1, ["Rule", "Group", "Ours (per 100 children)", "Region median", "Difference",
                              f"Rank of {len(b.councils)}"])
        for i, r in enumerate(rows.itertuples(index=False), start=row + 2):
            append(ws, [r.code, r.group, round(r.per_100, 2), round(r.median, 2), round(r.gap, 2), int(r.rank)])
            for col in (3, 4, 5):
                ws.cell(row=i, column=col).number_format = RATE
        if not len(rows):
            ws.cell(row=row + 2, column=1, value="none")
        if title.endswith("above the region") and len(rows):
            chart = BarChart()
            chart.type, chart.title = "bar", "Errors per 100 children: ours and the region's median"
            chart.add_data(Reference(ws, min_col=3, max_col=4, min_row=row + 1, max_row=row + 1 + len(rows)),
                           titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=1, min_row=row + 2, max_row=row + 1 + len(rows)))
            chart.height, chart.width = 9, 18
        row = max(ws.max_row, row + 2) + 2
    if chart is not None:
        ws.add_chart(chart, f"A{row}")  # below the tables, so it prints with them
    _widths(ws, [10, 26, 22, 14, 12, 10])


def _trend(ws, b: Benchmark) -> None:
    _header(ws, 1, ["Council", "Run", "Errors per 100 children"])
    t = b.trend.sort_values(["name", "run_at"])
    spans = []
    for name, rows in t.groupby("name", sort=True):
        start = ws.max_row + 1
        for r in rows.itertuples(index=False):
            append(ws, [name, pd.Timestamp(r.run_at).to_pydatetime(), round(r.per_100, 2)])
            ws.cell(row=ws.max_row, column=2).number_format = "dd/mm/yyyy"
            ws.cell(row=ws.max_row, column=3).number_format = RATE
        spans.append((name, start, ws.max_row))
    if any(end > start for _, start, end in spans):
        chart = ScatterChart()
        chart.title, chart.style = "Errors per 100 children over time", 13
        chart.x_axis.title, chart.y_axis.title = "Run", "Errors per 100 children"
        chart.x_axis.number_format = "dd/mm/yyyy"
        for name, start, end in spans:
            series = Series(Reference(ws, min_col=3, min_row=start, max_row=end),
                            Reference(ws, min_col=2, min_row=start, max_row=end), title=name)
            series.marker.symbol = "circle"
            chart.series.append(series)
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, "E2")
    _widths(ws, [28, 12, 22])


def _about(ws, b: Benchmark) -> None:
    lines = [f"Regional benchmark of the 903 return, {b.year}",
             f"{len(b.councils)} councils compared, each by its latest error profile, over {len(b.rules)} rules.",
             "Errors per 100 children: a council's findings of a rule (or group) divided by the children in its "
             "return, times 100. Rank 1 = the fewest errors per 100 children.",
             "Profiles hold counts only: no child, value or date from any return.",
             *b.notes]
    for line in lines:
        append(ws, [line])
    ws["A1"].font = Font(bold=True, size=14)
    append(ws, [])
    _header(ws, ws.max_row + 1, ["Council", "Profile of", "Children", "Findings", "Errors per 100 children",
                                 "Rank"])
    for r in b.councils.sort_values("rank").itertuples(index=False):
        append(ws, [r.name, str(r.run_at).replace("T", " "), int(r.children), int(r.findings),
                    round(r.per_100, 2), int(r.rank)])
    _widths(ws, [30, 20, 10, 10, 22, 8])


def write_benchmark(b: Benchmark, out: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if b.chosen is not None:
        ws.title = "Where we stand"
        _where_we_stand(ws, b)
        ws = wb.create_sheet("By group")
    else:
        ws.title = "By group"
    _wide(ws, b, b.by_group, "group", "Error group")
    _wide(wb.create_sheet("By rule"), b, b.by_rule, "code", "Rule")
    _trend(wb.create_sheet("Trend"), b)
    _about(wb.create_sheet("About"), b)
    for ws in wb.worksheets:
        _print_wide(ws)
    return save_atomically(wb, out)
