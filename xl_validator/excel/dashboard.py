"""The Dashboard button: the figures for leadership built as a sheet of the open workbook.

The same grid as the file route (``annotate.dashboard``) goes in as one block of values; formats
go one call per section, figure title or rectangle of percentages; charts are native Excel
charts. Definitions are listed under the figures, as in the file route, and are notes on the
titles where the engine has notes (desktop Excel).
"""
from __future__ import annotations

import pandas as pd

from ..annotate.dashboard import PANEL_COLUMNS, PANEL_WIDTHS, PANELS, SHEET, WIDTH, dashboard_layout
from ..api import validate_return
from ..report.dashboard import Dashboard, dashboard
from .blocks import rectangles
from .layer import Ui, cosmetic, gather_inputs, read_open_return
from .local import gather_local_rules
from .marks import find_sheet, read_record, values_block, write_record
from .read import is_remote
from .settings import read_settings

SECTION_FILL, TITLE_FILL, WHITE = "#1F4E78", "#DDEBF7", "#FFFFFF"
POINTS_PER_ROW, POINTS_PER_CHAR = 15, 5.6  # where a chart goes, without asking Excel (one call less per chart)


def dashboard_book(book, year=None, *, suppress: bool | None = None, history: pd.DataFrame | None = None) -> Dashboard:
    """Check the open return (without marking it: that is Validate's job) and build its Dashboard
    sheet, first in the book. ``suppress``: show 1 to 4 children as [c] (default: the workbook's
    setting); ``history``: earlier runs of this return, for the data quality trend."""
    ui = Ui(book)
    settings = read_settings(book)
    suppress = settings.suppress_small if suppress is None else suppress
    with ui.busy():
        ui.status("xl_validator: reading the workbook...")
        this, year, how = read_open_return(book, year or settings.year or None)
        last, providers, _ = gather_inputs(book, year, None, None, settings)
        local, _ = gather_local_rules(book, year, None, settings)
        report = validate_return(this, year, last, local_authority=settings.local_authority or None,
                                 provider_info=providers, progress=ui.progress, local_rules=local, year_chosen=how)
        board = dashboard(report, history)
        ui.status("xl_validator: writing the Dashboard...")
        write_dashboard_sheet(book, board, bool(suppress))
    return board


def write_dashboard_sheet(book, board: Dashboard, suppress: bool = False):
    lay = dashboard_layout(board, suppress)
    rows = lay.rows
    old = find_sheet(book, SHEET)
    if old is not None:
        old.delete()
    sheet = book.sheets.add(SHEET, before=book.sheets[0])
    sheet.range((1, 1)).value = values_block(rows, WIDTH)
    _record_sheet(book)
    cosmetic(lambda: _format(sheet, lay))
    for chart in lay.charts:
        cosmetic(lambda chart=chart: _chart(sheet, chart))
    if not is_remote(book):
        for (r, c), text in lay.notes.items():
            cosmetic(lambda r=r, c=c, text=text: setattr(sheet.range((r, c)), "note", text))
    cosmetic(lambda: setattr(sheet.page_setup, "print_area", f"A1:M{lay.printed}"))
    cosmetic(lambda: _landscape(sheet))
    sheet.activate()
    return sheet


def _record_sheet(book) -> None:
    """List the Dashboard among the sheets the tool added, so Clear removes it."""
    record = read_record(book)
    rows = [] if record is None else record.to_numpy().tolist()
    if ["sheet", SHEET] not in [r[:2] for r in rows]:
        write_record(book, rows + [["sheet", SHEET, 0, 0, 0, 0, ""]])


def _format(sheet, lay) -> None:
    for start in PANELS:
        for j, width in enumerate(PANEL_WIDTHS):
            sheet.range((1, start + j)).column_width = width
    sheet.range((1, PANELS[0] + len(PANEL_COLUMNS))).column_width = 2
    sheet.range((1, 1)).font.size = 16
    for r, c in [(1, 1), (2, 1), (3, 1)]:
        sheet.range((r, c)).font.bold = True
    for r, c in lay.sections:
        block = sheet.range((r, c), (r, c + len(PANEL_COLUMNS) - 1))
        block.color = SECTION_FILL
        block.font.bold = True
        block.font.color = WHITE
    for r, c in lay.heads:
        sheet.range((r, c), (r, c + len(PANEL_COLUMNS) - 2)).color = TITLE_FILL
        sheet.range((r, c)).font.bold = True
    shares = rectangles(pd.DataFrame({"sheet": SHEET, "row": [r for r, _ in lay.shares],
                                      "col": [c for _, c in lay.shares]}))
    for rect in shares.itertuples(index=False):
        sheet.range((rect.r1, rect.c1), (rect.r2, rect.c2)).number_format = "0%"


def _chart(sheet, spec) -> None:
    left = 0 if spec.col == PANELS[0] else (sum(PANEL_WIDTHS) + 2) * POINTS_PER_CHAR
    chart = sheet.charts.add(left=left, top=(spec.at[0] - 1) * POINTS_PER_ROW, width=480, height=260)
    chart.set_source_data(sheet.range((spec.first, spec.col), (spec.last, spec.col + 1)))
    chart.chart_type = "line" if spec.kind == "line" else "bar_clustered"
    cosmetic(lambda: setattr(chart.api[1], "HasTitle", True))  # desktop only: the title as on the file route
    cosmetic(lambda: setattr(chart.api[1].ChartTitle, "Text", spec.title))


def _landscape(sheet) -> None:
    """Desktop Excel: A4 landscape, one page wide and two tall, the title rows on every page."""
    setup = sheet.api.PageSetup
    setup.Orientation, setup.PaperSize = 2, 9  # xlLandscape, xlPaperA4
    setup.Zoom, setup.FitToPagesWide, setup.FitToPagesTall = False, 1, 2
    setup.PrintTitleRows = "$1:$4"
