"""File mode: a copy of the return with flagged cells filled and noted, plus Errors and Summary sheets."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..outputs import refuse_inputs, save_text, save_with
from ..report import Report
from ..report.benchmark import against_region, write_region_block
from ..report.inputs import inputs_rows, skipped_by_input
from ..rules import departures
from ..sheet_text import append, clean, put_at
from .graft import Graft
from .locate import flagged_cells, note_lines
from .marked_copy import checked_before, copy_marked, record_xml
from .marks import ERROR_FILL, RECORD, remove_marks
from .package import EXTERNAL_LINK_TYPE, Package, Unsupported
from .safe_text import findings_csv
from .sheet_xml import header_styles, table_sheet
from .styles_part import Styles
from .tables_book import tables_package

HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SHEET_ROWS = 1_048_576  # the most rows an Excel sheet holds
HISTORY_ROOM = 20  # rows kept free at the foot of the Summary for the last runs


def write_annotated(report: Report, source: Path | None, out: Path, history=None, region=None,
                    extra: Sequence[Callable] = ()) -> Path:
    """Write the annotated workbook to ``out`` atomically; the input is never touched.
    ``history``: earlier runs (``report.history.runs``) to list on the Summary sheet;
    ``region``: (medians per rule, benchmark name) to set this run's figures beside;
    ``extra``: functions ``f(wb)`` that add sheets (with charts) to the openpyxl workbook in which
    the Summary and Rules are built; a sheet they put before the Summary comes first in the copy,
    one they append comes last.

    A workbook is copied part by part (``copy_marked``): only the flagged sheets, the styles and
    the workbook part are rewritten. A copy checked before, or a package shape the part-by-part
    writer does not handle, is first cleaned and saved by openpyxl (``remove_marks``)."""
    out = refuse_inputs(out, [source] if source is not None else [])
    is_book = source is not None and Path(source).suffix.lower() in (".xlsx", ".xlsm")

    def write(path):
        if not is_book:
            return _annotated(report, tables_package(report), out, history, region, extra).write(path)
        try:
            base = Package.read(source)
            if not checked_before(base):
                return _annotated(report, base, out, history, region, extra).write(path)
        except Unsupported:
            pass
        wb = openpyxl.load_workbook(source, keep_vba=Path(source).suffix.lower() == ".xlsm")
        remove_marks(wb)  # a checked copy validated again: the earlier run's marks are stale
        cleaned = BytesIO()
        wb.save(cleaned)
        return _annotated(report, Package.read(cleaned), out, history, region, extra).write(path)

    return save_with(write, out)


def _annotated(report: Report, base: Package, out: Path, history, region, extra) -> Graft:
    """The copy: flagged cells marked, Errors and the marks record written directly, Summary,
    Rules and the extra sheets built with openpyxl and grafted in."""
    copy = Graft(base)
    notes = _external_links_note(base)
    cells = flagged_cells(report.findings, report.tables)
    lines = note_lines(cells, report.last_year()) if len(cells) else None
    record = copy_marked(copy, lines)
    own_sheets = [["sheet", name, 0, 0, 0, 0, ""] for name in ("Summary", "Errors", "Rules")]
    errors, more = _errors_sheet(copy.styles, report, out)
    notes += more
    built = openpyxl.Workbook()
    built.remove(built.active)
    built.create_sheet("Errors").auto_filter.ref = f"A1:J{max(min(len(report.findings), SHEET_ROWS - 1) + 1, 2)}"
    built.create_sheet(RECORD).sheet_state = "hidden"
    first_child, children = _summary_sheet(built, report, notes)
    if history is not None:
        # Imported here: the run history module needs sqlite3, which xlwings Lite (Pyodide) leaves
        # out, and the Excel layer imports this package.
        from ..report.history import write_history_sheet

        write_history_sheet(built["Summary"], history.tail(10))
    if region is not None:
        write_region_block(built["Summary"], against_region(report, region[0]), region[1])
    _rules_sheet(built, report)
    for add in extra:
        add(built)
    added = [list(row) for row in built[RECORD].iter_rows(values_only=True)]  # sheets the extras added
    saved = BytesIO()
    built.save(saved)
    built = Package.read(saved)
    summary = next(part for _, a, part in built.sheets() if a["name"] == "Summary")
    built.parts[summary] = _with_rows(built.parts[summary], first_child, children)
    order = copy.graft(built, {"Errors": errors, RECORD: record_xml(record + own_sheets + added)})
    copy.finish(order, anchor="Errors", active="Summary")
    return copy


def marked_cell(ws: Worksheet, row: int, col: int):
    """The cell to mark: a flagged cell inside a merged range is marked on the range's top-left cell."""
    cell = ws.cell(row=row, column=col)
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if cell.coordinate in merged:
                return ws.cell(row=merged.min_row, column=merged.min_col)
    return cell


def _external_links_note(pkg: Package) -> list[str]:
    """Links to other workbooks are copied as they are (removing them would break the formulas
    that use them), so the Summary says they are there."""
    n = len(pkg.related(pkg.workbook_part(), EXTERNAL_LINK_TYPE))
    if not n:
        return []
    return [f"the input links to {n} other workbook(s); this copy keeps those links, so Excel may offer to "
            "update them from the other file(s) when it opens: choose not to unless you trust them"]


def _print_wide(ws: Worksheet) -> None:
    """Print (and export to PDF) landscape, all columns on one page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for i, t in enumerate(titles, start=1):
        c = ws.cell(row=row, column=i, value=t)
        c.font, c.fill = HEADER_FONT, HEADER_FILL


ERRORS_HEADER = ["Code", "Message", "Table", "Child", "Row", "Column", "Go to cell", "Source", "Severity",
                 "Last year"]


def _errors_sheet(styles: Styles, report: Report, out: Path) -> tuple[bytes, list[str]]:
    """One row per finding, with a link to its cell and last year's value where the rule compares
    with last year. Findings beyond what a sheet holds go to a findings CSV beside the output,
    and the Summary says so. Returns the sheet's XML and any note for the Summary."""
    f = report.findings
    shown = f.iloc[:SHEET_ROWS - 1]
    last_year = report.last_year()
    tables, rows = shown["table"].to_numpy(), shown["row"].to_numpy()
    sheet_rows = rows + 2
    located = {}
    for name in set(tables):
        raw = report.tables.get(name)
        if raw is not None:
            located[name] = raw.layout()
            at = tables == name
            sheet_rows[at] = located[name][1][raw.positions(rows[at])]
    header, link, centred = header_styles(styles)
    data, links = [ERRORS_HEADER], {}

    def place(table: str, field: str):
        """Where a (table, field)'s cells are: the start of their address and of their link's
        place (the row number follows), a note for last year's tables, or None."""
        layout = located.get(table)
        if table.endswith("_last"):
            return "last year's return"
        if layout and field in layout[2]:
            letter = get_column_letter(layout[2][field])
            return f"{layout[0]}!{letter}", "'" + layout[0].replace("'", "''") + "'!" + letter
        return None

    places: dict[tuple[str, str], object] = {}  # worked out once per table and field, not per finding
    columns = [shown[c].tolist() for c in ("code", "message", "table", "child", "fields", "source", "severity")]
    for r, (code, message, table, child, fields, source, severity, sheet_row, before) in enumerate(
            zip(*columns, sheet_rows.tolist(), last_year.iloc[:len(shown)].tolist()), start=2):
        key = (table, fields[0] if fields else "CHILD")
        go_to = places[key] if key in places else places.setdefault(key, place(*key))
        if type(go_to) is tuple:
            links[r] = (7, f"{go_to[1]}{sheet_row}", link)
            go_to = f"{go_to[0]}{sheet_row}"
        data.append([code, message, table, child, int(sheet_row), ", ".join(fields) or "CHILD", go_to, source,
                     severity, before or None])
    xml = table_sheet(data, len(ERRORS_HEADER), header_style=header, styles=[0, 0, 0, 0, centred], links=links,
                      widths=(10, 90, 16, 12, 8, 24, 20, 8, 10, 40), auto_filter=True, print_wide=True)
    if len(shown) == len(f):
        return xml, []
    rest = out.with_name(f"{out.stem}_findings.csv")
    save_text(findings_csv(f), rest)
    return xml, [f"{len(f):,} findings are more than a sheet holds: the Errors sheet lists the first "
                 f"{len(shown):,}; every finding is in {rest.name} beside this workbook"]


CHART_ROWS = 18  # rows kept free for the chart of the most frequent errors


def _title(ws: Worksheet, row: int, text: str) -> None:
    ws.cell(row=row, column=1, value=text).font = Font(bold=True, size=12)


def _summary_sheet(wb, report: Report, notes: list[str]) -> None:
    ws = wb.create_sheet("Summary", 0)
    ws["A1"] = "903 validation summary"
    ws["A1"].font = Font(bold=True, size=14)
    f = report.findings
    facts = [
        ("Collection year", report.year),
        ("Collection period", f"{report.collection_start:%d/%m/%Y} to {report.collection_end:%d/%m/%Y}"),
        ("Validated on", datetime.now().strftime("%d/%m/%Y %H:%M")),
        ("Findings", len(f)),
        ("Children with at least one error", report.children_with_errors),
        ("Rules run", len(report.ran)),
        ("Rules skipped (input not supplied)", len(report.skipped)),
        ("Rules that failed to run", len(report.failed)),
        ("Local rules (the council's own) run", sum(r.source == "local" for r in report.rules.values())),
    ]
    for i, (k, v) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=k).font = Font(bold=True)
        ws.cell(row=i, column=2, value=v)
    legend = ws.cell(row=3, column=5, value="Cells filled like this have an error; hover for the rule and message.")
    ws.cell(row=3, column=4).fill = ERROR_FILL
    legend.alignment = Alignment(wrap_text=False)
    row = len(facts) + 4
    used = inputs_rows(report)
    if used:
        row += 1
        _title(ws, row, "Inputs used")
        for label, value in used:
            row += 1
            ws.cell(row=row, column=1, value=label).font = Font(bold=True)
            put_at(ws, row, 2, value)
        for text, _ in skipped_by_input(report):
            row += 1
            ws.cell(row=row, column=1, value="Skipped").font = Font(bold=True)
            put_at(ws, row, 2, text)
        row += 1
    by_rule = report.by_rule()
    if len(by_rule):
        row += 1
        chart_at = row
        row += CHART_ROWS
    row += 1
    _title(ws, row, "Findings by rule")
    _header(ws, row + 1, ["Code", "Findings", "Share", "Group", "Message"])
    first_rule_row = row + 2
    for i, r in enumerate(by_rule.itertuples(index=False), start=first_rule_row):
        for j, v in enumerate((r.code, r.findings, r.share, r.group, r.message), start=1):
            put_at(ws, i, j, v)
        ws.cell(row=i, column=3).number_format = "0.0%"
    if len(by_rule):  # above the tables, below the inputs, so it never sits beside the wide Message column
        chart = BarChart()
        chart.type, chart.title, chart.legend = "bar", "Most frequent errors", None
        top = min(len(by_rule), 10)
        chart.add_data(Reference(ws, min_col=2, min_row=first_rule_row - 1, max_row=first_rule_row + top - 1),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=first_rule_row, max_row=first_rule_row + top - 1))
        chart.height, chart.width = 8, 16
        ws.add_chart(chart, f"A{chart_at}")
    row = first_rule_row + len(by_rule) + 2
    ws.cell(row=row, column=1, value="Findings by error group").font = Font(bold=True, size=12)
    _header(ws, row + 1, ["Group", "Findings", "Share", "Rules"])
    for i, g in enumerate(report.by_group().itertuples(index=False), start=row + 2):
        for j, v in enumerate((g.group, g.findings, g.share, g.rules), start=1):
            put_at(ws, i, j, v)
        ws.cell(row=i, column=3).number_format = "0.0%"
    row = ws.max_row + 2
    _title(ws, row, "Rules not run")
    if report.failed or report.skipped:
        _header(ws, row + 1, ["Code", "Status", "Reason"])
        r = row + 2
        for status, items in (("failed", report.failed), ("skipped", report.skipped)):
            for code, reason in sorted(items.items()):
                for j, v in enumerate((code, status, reason), start=1):
                    put_at(ws, r, j, v)
                r += 1
    else:
        ws.cell(row=row + 1, column=1, value="None: every rule in force ran.")
        r = row + 2
    if report.issues or notes:
        r += 1
        ws.cell(row=r, column=1, value="Input notes").font = Font(bold=True, size=12)
        for issue in [*map(str, report.issues), *notes]:
            r += 1
            put_at(ws, r, 1, issue)
    r += 2
    ws.cell(row=r, column=1, value="Errors per child (most first)").font = Font(bold=True, size=12)
    _header(ws, r + 1, ["Child", "Findings", "Rules"])
    by_child = report.by_child()
    room = max(SHEET_ROWS - (r + 2) - HISTORY_ROOM, 0)  # what the sheet holds below, less the last runs
    children = list(by_child.iloc[:room][["child", "findings", "rules"]].itertuples(index=False, name=None))
    if children:  # the last row here, so the blocks added below this one start where they always did
        for j, v in enumerate(children[-1], start=1):
            put_at(ws, r + 1 + len(children), j, v)
    if len(by_child) > room:
        put_at(ws, r, 4, f"The first {room:,} of {len(by_child):,} children: a sheet holds no more; "
                         "the Errors sheet and the findings CSV have every finding")
    ws.cell(row=2, column=1, value="Look up any code on the hidden 'Rules' sheet (right-click a sheet tab > Unhide).")
    for col, width in zip("ABCDE", (34, 16, 10, 26, 100)):
        ws.column_dimensions[col].width = width
    _print_wide(ws)
    return r + 2, children[:-1]


def _with_rows(xml: bytes, first: int, rows: list[tuple]) -> bytes:
    """A saved sheet with (text, number, number) rows from row ``first`` put before the row that
    follows them, written as openpyxl writes such cells (it takes about 100 microseconds a cell:
    seconds for the children of a large return)."""
    if not rows:
        return xml
    at = xml.find(b'<row r="%d"' % (first + len(rows)))
    if at < 0:
        raise ValueError(f"no row {first + len(rows)} in the saved Summary sheet")
    out = []
    for n, (text, a, b) in enumerate(rows, start=first):
        text = clean(text)
        trimmed = text.strip()
        space = ' xml:space="preserve"' if trimmed and trimmed != text else ""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        out.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
                   f'<c r="B{n}" t="n"><v>{int(a)}</v></c><c r="C{n}" t="n"><v>{int(b)}</v></c></row>')
    return xml[:at] + "".join(out).encode("utf-8") + xml[at:]


def _rules_sheet(wb, report: Report) -> None:
    """The catalogue of rules in force, hidden by default, so any code can be looked up."""
    ws = wb.create_sheet("Rules")
    _header(ws, 1, ["Code", "Message", "Tables", "Highlighted fields", "Version from",
                    "Where this tool differs from the DfE spec (and why)"])
    differs = departures.by_code(report.year)
    explain = lambda code: "\n".join(f"{d['differs']} ({d['evidence']}: {d['why']})" for d in differs.get(code, []))  # noqa: E731
    for code, r in sorted(report.rules.items()):
        fields = "; ".join(f"{t}: {', '.join(fs)}" for t, fs in r.fields.items() if fs)
        append(ws, [code, r.message, ", ".join(r.tables), fields, r.version, explain(code)])
    append(ws, ["all rules", "Project-wide", "", "", "", explain("*")])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:F{len(report.rules) + 2}"
    for col, width in zip("ABCDEF", (10, 100, 30, 40, 12, 100)):
        ws.column_dimensions[col].width = width
    ws.sheet_state = "hidden"
