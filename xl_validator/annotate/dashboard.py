"""The Dashboard sheet: the figures for leadership on one or two A4 landscape pages, with each
figure's definition in a note, last year beside this year, what could not be counted, and
native charts. The layout is a plain grid so the Excel layer writes the same sheet through xlwings."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..report.dashboard import SUPPRESSED, Dashboard, Figure, shown, shown_share
from ..sheet_text import put_at
from .marks import record_sheet

SHEET = "Dashboard"
PANEL_COLUMNS = ["", "This year", "%", "Last year", "%", "Not counted (why)"]
PANEL_WIDTHS = [42, 9, 6, 9, 6, 34]
PANELS = (1, 8)  # first column of the left and right panels; column G is a gap
WIDTH = PANELS[1] + len(PANEL_COLUMNS) - 1
HEAD_ROWS = 5  # title, council and year, suppression, how to read, blank
LEFT_SECTIONS = ("Who is looked after", "Placements")
CHART_ROWS = 20
OF_THIS_RUN = ("quality", "error_groups", "trend")  # data quality: no last year, nothing left uncounted
SECTION_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
TITLE_FILL = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    col: int  # the panel's first column: labels there, values in the next
    first: int  # first and last rows of the values
    last: int
    at: tuple[int, int]  # (row, column) of the chart's top-left cell


@dataclass
class Layout:
    """The sheet as a grid of values (rows of WIDTH cells, 1-based positions below) and what to format."""

    rows: list[list]
    sections: list[tuple[int, int]] = field(default_factory=list)  # section headings
    heads: list[tuple[int, int]] = field(default_factory=list)  # figure titles (bold, filled, noted)
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    shares: list[tuple[int, int]] = field(default_factory=list)  # cells shown as a percentage
    wrapped: list[tuple[int, int]] = field(default_factory=list)  # 'not counted' text (small, grey)
    charts: list[Chart] = field(default_factory=list)
    printed: int = 0  # rows in the print area: the figures and charts (the definitions below are not printed)

    def put(self, row: int, col: int, value) -> None:
        while len(self.rows) < row:
            self.rows.append([None] * WIDTH)
        self.rows[row - 1][col - 1] = value


def suppression_text(suppress: bool) -> str:
    if suppress:
        return (f"Small numbers: SUPPRESSED for sharing. Counts of 1 to 4 children are shown as {SUPPRESSED} "
                "(the DfE's symbol for a figure withheld to protect individuals), and so are their percentages; "
                "totals are not adjusted, so check before publishing.")
    return ("Small numbers: shown as they are (suppression off). Give --suppress-small to show counts of 1 to 4 "
            f"children as {SUPPRESSED} before sharing this sheet.")


def _title_of(fig: Figure) -> str:
    """'Reviews held on time (approximate; reviews)': approximate as the definition says, and what
    is counted when it is not children."""
    parts = (["approximate"] if "Approximate" in fig.definition else []) + (
        [fig.unit] if fig.unit not in ("", "children") else [])
    return fig.title + (f" ({'; '.join(parts)})" if parts else "")


def _figure(lay: Layout, fig: Figure, row: int, col: int, suppress: bool, with_last: bool) -> tuple[int, list]:
    """Write one figure's block from ``row``; returns the next free row and the rows of its lines."""
    lay.put(row, col, _title_of(fig))
    lay.heads.append((row, col))
    lay.notes[(row, col)] = fig.definition
    placed = []
    if fig.note:
        lay.put(row + 1, col, fig.note)
        return row + 3, placed
    reasons = list(fig.not_counted) or ([] if fig.key in OF_THIS_RUN else ["none"])
    r = row + 1
    for line in fig.lines:
        people = fig.people if line.people is None else line.people
        lay.put(r, col, line.label)
        lay.put(r, col + 1, shown(line.value, suppress, people))
        share = shown_share(line, suppress, people)
        if share is not None:
            lay.put(r, col + 2, share)
            lay.shares.append((r, col + 2))
        before = fig.last_line(line.label) if with_last else None
        if before is not None:
            lay.put(r, col + 3, shown(before.value, suppress, people))
            last_share = shown_share(before, suppress, people)
            if last_share is not None:
                lay.put(r, col + 4, last_share)
                lay.shares.append((r, col + 4))
        elif with_last and fig.key not in OF_THIS_RUN:
            lay.put(r, col + 3, "n/a")
        placed.append(r)
        r += 1
    at = row  # each reason wrapped by hand over the block's rows, so no row needs to grow
    for text in reasons:
        for part in textwrap.wrap(text, PANEL_WIDTHS[5] + 4):
            lay.put(at, col + 5, part)
            lay.wrapped.append((at, col + 5))
            at += 1
    return max(r, at) + 1, placed


def _panel(lay: Layout, figures: list[Figure], col: int, suppress: bool, with_last: bool) -> tuple[int, dict]:
    row, section, placed = HEAD_ROWS + 1, None, {}
    for fig in figures:
        if fig.section != section:
            section = fig.section
            lay.put(row, col, section)
            for j, name in enumerate(PANEL_COLUMNS[1:], start=1):
                lay.put(row, col + j, name if with_last or j not in (3, 4) else None)
            lay.sections.append((row, col))
            row += 1
        row, placed[fig.key] = _figure(lay, fig, row, col, suppress, with_last)
    return row, placed


def dashboard_layout(db: Dashboard, suppress: bool = False) -> Layout:
    """The Dashboard as a grid: left panel who is looked after and placements, right panel
    stability, care in the year, care leavers and data quality; charts below each panel."""
    lay = Layout(rows=[])
    lay.put(1, 1, "Children looked after: the picture for leadership")
    period = f"1 April {db.collection_end.year - 1} to 31 March {db.collection_end.year}"
    council = db.council or "council code not given"
    lay.put(2, 1, f"{council}  |  collection year {db.year} ({period})  |  made {db.made:%d/%m/%Y %H:%M}")
    lay.put(3, 1, suppression_text(suppress))
    last = ("last year's figures from last year's return" if db.last_year
            else "no last year's return given, so no last year's figures")
    lay.put(4, 1, f"Hover over a figure's title for its definition; {last}. Counts are of children unless "
                  "the title says otherwise.")
    left = [f for f in db.figures if f.section in LEFT_SECTIONS]
    right = [f for f in db.figures if f.section not in LEFT_SECTIONS]
    end_left, at_left = _panel(lay, left, PANELS[0], suppress, db.last_year)
    end_right, at_right = _panel(lay, right, PANELS[1], suppress, db.last_year)
    charts_left = [("placement_type", "Placements at 31 March by type", at_left, PANELS[0], "bar", 0),
                   ("ceased", "Reasons for leaving care in the year", at_left, PANELS[0], "bar", 1)]
    charts_right = [("error_groups", "Top error groups (errors found)", at_right, PANELS[1], "bar", 0)]
    trend = db.figure("trend")
    if len(trend.lines) > 1:
        charts_right.append(("trend", "All findings run by run", at_right, PANELS[1], "line", 0))
    for charts, end in ((charts_left, end_left), (charts_right, end_right)):
        row = end
        for key, title, placed, col, kind, skip in charts:
            rows = placed.get(key, [])[skip:]
            if rows:
                lay.charts.append(Chart(kind, title, col, rows[0], rows[-1], (row, col)))
                row += CHART_ROWS
        lay.put(row, col, None)  # the grid reaches below the last chart, so the print area holds it
    lay.printed = len(lay.rows)
    row = lay.printed + 2
    lay.put(row, 1, "What each figure counts (also in each title's note; not printed)")
    lay.sections.append((row, 1))
    for fig in db.figures:
        row += 1
        lay.put(row, 1, _title_of(fig))
        lay.put(row, 2, fig.definition)
    return lay


def write_dashboard(wb, db: Dashboard, suppress: bool = False) -> Worksheet:
    """Add (or replace) the Dashboard sheet in an openpyxl workbook, first among the sheets; in an
    annotated copy it is recorded as added, so validating the copy again or Clear removes it."""
    if SHEET in wb.sheetnames:
        wb.remove(wb[SHEET])
    ws = wb.create_sheet(SHEET, 0)
    record_sheet(wb, SHEET)
    lay = dashboard_layout(db, suppress)
    for r, values in enumerate(lay.rows, start=1):
        for c, v in enumerate(values, start=1):
            if v is not None:
                put_at(ws, r, c, v)
    _format(ws, lay)
    for chart in lay.charts:
        ws.add_chart(_chart(ws, chart), f"{get_column_letter(chart.at[1])}{chart.at[0]}")
    _print_setup(ws, lay.printed)
    return ws


def _format(ws: Worksheet, lay: Layout) -> None:
    body = Font(size=10)
    for row in ws.iter_rows(min_row=HEAD_ROWS + 1, max_row=len(lay.rows), max_col=WIDTH):
        for cell in row:
            if cell.value is not None:
                cell.font = body
                if isinstance(cell.value, str) and cell.value in (SUPPRESSED, "n/a"):
                    cell.alignment = Alignment(horizontal="right")
    ws["A1"].font = Font(bold=True, size=16, color="1F4E78")
    ws["A2"].font = Font(bold=True, size=11)
    ws["A3"].font = Font(bold=True, size=10, color="C00000" if "SUPPRESSED" in str(ws["A3"].value) else "375623")
    ws["A4"].font = Font(italic=True, size=9)
    for r, c in lay.sections:
        for j in range(len(PANEL_COLUMNS)):
            cell = ws.cell(row=r, column=c + j)
            cell.font, cell.fill = Font(bold=True, size=10, color="FFFFFF"), SECTION_FILL
    for r, c in lay.heads:
        for j in range(len(PANEL_COLUMNS) - 1):
            ws.cell(row=r, column=c + j).fill = TITLE_FILL
        ws.cell(row=r, column=c).font = Font(bold=True, size=10)
    for (r, c), text in lay.notes.items():
        note = Comment(text, "xl_validator")
        note.width, note.height = 360, 160
        ws.cell(row=r, column=c).comment = note
    for r, c in lay.shares:
        ws.cell(row=r, column=c).number_format = "0%"
    for col in PANELS:
        for r in range(HEAD_ROWS + 1, len(lay.rows) + 1):
            ws.cell(row=r, column=col + 1).number_format = "#,##0.#;-#,##0.#;0"
            ws.cell(row=r, column=col + 3).number_format = "#,##0.#;-#,##0.#;0"
    grey = Font(size=9, color="595959")
    for r, c in lay.wrapped:
        cell = ws.cell(row=r, column=c)
        cell.font = grey
    for start in PANELS:
        for j, width in enumerate(PANEL_WIDTHS):
            ws.column_dimensions[get_column_letter(start + j)].width = width
    ws.column_dimensions[get_column_letter(PANELS[0] + len(PANEL_COLUMNS))].width = 2
    ws.sheet_view.showGridLines = False


def _chart(ws: Worksheet, spec: Chart):
    chart = LineChart() if spec.kind == "line" else BarChart()
    if spec.kind == "bar":
        chart.type = "bar"
        chart.y_axis.majorGridlines = None
        chart.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    chart.title, chart.legend = spec.title, None
    chart.add_data(Reference(ws, min_col=spec.col + 1, min_row=spec.first, max_row=spec.last))
    chart.set_categories(Reference(ws, min_col=spec.col, min_row=spec.first, max_row=spec.last))
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.height, chart.width = 9.5, 18
    return chart


def _print_setup(ws: Worksheet, last_row: int) -> None:
    """A4 landscape, one page wide and at most two tall, the title rows on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 2
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_area = f"A1:{get_column_letter(WIDTH)}{last_row}"
    ws.print_title_rows = "1:4"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Page &P of &N"
