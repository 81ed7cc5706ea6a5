"""Validate the open workbook in place: paint flagged cells, list findings, and remember how to undo it.

Every write is batched (one call per rectangle of flagged cells, one values block per
sheet), because each call is a COM round trip on the desktop and an action on the
Office.js engine. What a run changed is kept in a hidden sheet so Clear restores it.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from .. import catalogue
from ..annotate.locate import flagged_cells, note_lines
from ..annotate.marks import NO_FILL, RECORD, UNKNOWN_FILL
from ..api import choose_year, validate_return
from ..read import InputError, read_return
from ..report import Report
from ..report.benchmark import against_region
from ..report.inputs import inputs_rows, skipped_by_input
from .blocks import cells_of, rectangles
from .local import gather_local_rules
from .marks import FILL, fill_blocks, find_sheet, read_record, repaint, values_block, write_record
from .read import is_remote, read_book
from .settings import Settings, read_settings

ERRORS, SUMMARY = "Errors", "Summary"
NOTE_LIMIT = 2000  # notes cost a call or two each on the desktop: beyond this many, only some cells get one
ERRORS_HEADER = ["Code", "Message", "Table", "Child", "Row", "Column", "Go to cell", "Source", "Severity",
                 "Last year"]


class Ui:
    """Status bar messages where the engine has a status bar (desktop), silently nothing elsewhere."""

    def __init__(self, book):
        self.book, self.ok = book, not is_remote(book)

    def status(self, text) -> None:
        if not self.ok:
            return
        try:
            self.book.app.status_bar = text
        except (NotImplementedError, AttributeError):
            self.ok = False

    def progress(self, done: int, total: int, code: str) -> None:
        if total and (done % max(total // 20, 1) == 0 or done == total):
            self.status(f"xl_validator: checking rules... {100 * done // total}%")

    @contextmanager
    def busy(self):
        """Desktop: no screen redraw while writing (many COM calls); the status bar handed back after."""
        redraw = False
        if self.ok:
            try:
                self.book.app.screen_updating, redraw = False, True
            except Exception:  # not every Excel lets an add-in switch it off; painting still works
                pass
        try:
            yield
        finally:
            if redraw:
                self.book.app.screen_updating = True
            self.status(False)


# --- reading the inputs -------------------------------------------------------------------------

def gather_inputs(book, year, previous, providers, settings: Settings):
    """Last year's return and the Ofsted lists: given ones must exist; ones from the settings that
    are not on this computer (e.g. in xlwings Lite) are noted and their rules skipped."""
    notes, last = [], None
    if previous is None and settings.previous:
        if Path(settings.previous).exists():
            previous = settings.previous
        else:
            notes.append(f"Last year's return '{settings.previous}' (from the settings) was not found on this "
                         "computer: the rules that compare with last year were skipped.")
    if previous is not None and hasattr(previous, "sheets"):
        last = read_book(previous, "_last", year)
    elif previous is not None:
        last = read_return(previous, suffix="_last", year=year)
    if providers is None and settings.providers:
        found = [p for p in settings.providers if Path(p).exists()]
        for p in settings.providers:
            if p not in found:
                notes.append(f"Ofsted provider list '{p}' (from the settings) was not found on this computer.")
        providers = found or None
    return last, providers, notes


# --- validate / clear ---------------------------------------------------------------------------

def region_for(book, benchmark, settings: Settings) -> tuple[tuple[dict, str] | None, list[str]]:
    """The region's median per rule from the benchmark given or set, or a note why there is none."""
    path = benchmark or settings.benchmark
    if not path:
        return None, []
    if not Path(path).exists():
        return None, [f"Regional benchmark '{path}' was not found on this computer: no region figures shown."]
    from ..compare.region import region_medians

    try:
        return region_medians(path), []
    except InputError as e:
        return None, [f"Regional benchmark not used: {e}"]


def validate_book(book, year=None, previous=None, providers=None, *, rules=None, local_rules=None,
                  benchmark=None) -> Report:
    """Validate the 903 sheets of an open workbook and mark the results in it (see module docstring).

    ``previous``: last year's return (path or open xw.Book); ``providers``: Ofsted list path(s);
    ``rules``: limit the run to some codes; ``local_rules``: rule workbooks, .py files or modules
    named on this computer (besides the workbook's own Local rules sheet); False runs none.
    ``benchmark``: a regional benchmark workbook or profiles folder (the Summary shows the
    region's median beside each rule). Unset arguments come from the workbook's settings.
    A workbook validated before is repainted only where a cell's state changed.
    """
    ui = Ui(book)
    settings = read_settings(book)
    with ui.busy():
        ui.status("xl_validator: reading the workbook...")
        this, year, how = read_open_return(book, year or settings.year or None)
        last, providers, notes = gather_inputs(book, year, previous, providers, settings)
        local = None
        if local_rules is not False:
            local, more = gather_local_rules(book, year, local_rules, settings)
            notes += more
        report = validate_return(this, year, last, local_authority=settings.local_authority or None,
                                 provider_info=providers, rules=rules, progress=ui.progress, local_rules=local,
                                 year_chosen=how)
        region, more = region_for(book, benchmark, settings)
        notes += more
        ui.status("xl_validator: marking the errors...")
        # only now: a run that cannot start leaves the previous results in place
        old = read_record(book)
        if old is None:
            clear_book(book)  # results of a copy written before marks were recorded: replaced whole
        mark_errors(book, report, notes, old, region, since=open_since(book, report))
    return report


def open_since(book, report: Report) -> pd.Series | None:
    """Per finding, the date the run history (beside the saved workbook, or XL_VALIDATOR_HISTORY)
    first saw it; None when there is no history to ask (or no sqlite3, as under Pyodide)."""
    try:
        from ..report import history
        from ..report.followup import follow_up
    except ImportError:
        return None
    try:
        saved = Path(book.fullname)
        return follow_up(history.history_path(saved if saved.is_file() else None), report).since
    except (history.HistoryError, OSError):
        return None


def read_open_return(book, asked):
    """The open workbook's tables, read as the year asked for, else the one its dates point at."""
    this = read_book(book, year=catalogue.normalise_year(asked))
    year, how = choose_year(this, asked)
    if year != catalogue.normalise_year(asked):
        this = read_book(book, year=year)
    return this, year, how


def mark_errors(book, report: Report, notes: list[str], old: pd.DataFrame | None = None, region=None,
                since: pd.Series | None = None) -> None:
    """Paint, note and list this run's findings, recording each change for Clear; with the ``old``
    record of an earlier run, only the cells whose state changed are touched. ``since``: per finding,
    when the run history first saw it (the note says "open since")."""
    cells = flagged_cells(report.findings, report.tables)
    cells = cells[~cells["table"].str.endswith("_last")]
    rects = rectangles(cells)
    remote = is_remote(book)
    text = None
    if remote:
        notes.append("Cell notes are not added here (this version of Excel cannot restore them exactly): "
                     "the Errors sheet lists every message.")
    else:
        noted, note = cells_to_note(cells, NOTE_LIMIT)
        notes += note
        text = note_lines(noted, report.last_year(), since)
    record = repaint(book, cells, text, old, remote)
    record += [["sheet", name, 0, 0, 0, 0, ""] for name in (ERRORS, SUMMARY)]
    if old is not None:  # other sheets the tool added (the Dashboard) stay listed for Clear
        record += [["sheet", name, 0, 0, 0, 0, ""] for name in old.loc[old["kind"] == "sheet", "sheet"]
                   if name not in (ERRORS, SUMMARY)]
    for name in (ERRORS, SUMMARY):
        sheet = find_sheet(book, name)
        if sheet is not None:
            sheet.delete()
    errors = book.sheets.add(ERRORS, after=book.sheets[len(book.sheets) - 1])
    _write_errors(errors, report, remote)
    summary = book.sheets.add(SUMMARY, before=book.sheets[0])
    _write_summary(summary, report, rects, cells, notes, region)
    write_record(book, record)
    summary.activate()


def cells_to_note(cells: pd.DataFrame, limit: int) -> tuple[pd.DataFrame, list[str]]:
    """The flagged cells that get a note, and what to tell the analyst if not all do.

    Up to ``limit`` flagged cells, every one. Beyond, the cells of the rules that flag fewest
    cells, rule by rule while the total stays within the limit: a rule flagging thousands of cells
    says the same thing on each (read once on the Errors sheet), while a rare one is easy to miss.
    A noted cell's note lists every rule that flagged it."""
    keys = cells["sheet"].astype(str) + "!" + cells["row"].astype(str) + ":" + cells["col"].astype(str)
    flagged = keys.nunique()
    if flagged <= limit:
        return cells, []
    per_rule = keys.groupby(cells["code"]).agg(set)
    chosen: set = set()
    codes = []
    for code, group in per_rule[per_rule.map(len).sort_values(kind="stable").index].items():
        if len(chosen | group) > limit:
            break
        chosen |= group
        codes.append(code)
    noted = cells[keys.isin(chosen).to_numpy()]
    which = (f"notes were added to the {len(chosen):,} cells of the {len(codes)} rules that flag fewest cells"
             if codes else "no cell notes were added")
    return noted, [f"{flagged:,} cells are flagged, more than the {limit:,} that get a note: {which}. "
                   "The Errors sheet lists every message."]


def clear_book(book) -> None:
    """Undo a run exactly: restore the recorded fills and notes, delete the sheets it added."""
    record = read_record(book)
    if record is not None:
        own = set(record.loc[record["kind"] == "sheet", "sheet"]) | {RECORD}
        found = {name: find_sheet(book, name) for name in record["sheet"].unique()}
        sheets = {sheet.name: sheet for sheet in found.values() if sheet is not None}
        real = {name: sheet.name for name, sheet in found.items() if sheet is not None}
        # own sheets go below; a sheet the user deleted since has nothing to restore
        record = record[(record["kind"] != "sheet") & record["sheet"].isin(list(real))]
        record = record.assign(sheet=record["sheet"].map(real))
        fills, remote = record[record["kind"] == "fill"], is_remote(book)
        for before, group in fills.groupby("before", sort=False):
            fill_blocks(book, group, None if before in (NO_FILL, UNKNOWN_FILL) else before, remote)
        for kind, name, r1, c1, r2, c2, before in record[record["kind"] != "fill"].itertuples(index=False):
            rng = sheets[name].range((r1, c1), (r2, c2))
            if kind == "note added" and rng.note is not None:
                rng.note.delete()
            elif kind == "note replaced" and rng.note is not None:
                rng.note.text = before
    else:
        own = {ERRORS, SUMMARY}  # results of an older run or a file-mode copy: replaced like file mode does
    for name in own:
        sheet = find_sheet(book, name)
        if sheet is not None:
            sheet.delete()


# --- Errors and Summary sheets ------------------------------------------------------------------

def cell_link(sheet: str, col: np.ndarray, row: np.ndarray) -> np.ndarray:
    """=HYPERLINK formulas, written inside the values block so links cost no extra calls."""
    letters = pd.Series(col).map(get_column_letter).to_numpy(dtype=object)
    address = letters + row.astype(str).astype(object)
    target = ("#'" + sheet.replace("'", "''") + "'!").replace('"', '""')
    shown = (sheet + "!").replace('"', '""')
    return '=HYPERLINK("' + target + address + '","' + shown + address + '")'


def errors_block(report: Report) -> list[list]:
    """The Errors sheet as one values block: a row per finding as in file mode, with a link to the
    cell it points at; text is apostrophe-prefixed column by column so Excel keeps it as typed."""
    f = report.findings
    as_text = lambda s: ("'" + s.astype(str)).to_numpy(dtype=object)  # noqa: E731
    out = pd.DataFrame({"code": as_text(f["code"]), "message": as_text(f["message"]), "table": as_text(f["table"]),
                        "child": as_text(f["child"]), "row": np.zeros(len(f), dtype="int64"),
                        "column": as_text(f["fields"].map(lambda fs: ", ".join(fs) or "CHILD")),
                        "link": np.full(len(f), "", dtype=object), "source": as_text(f["source"]),
                        "severity": as_text(f["severity"]), "last_year": as_text(report.last_year())}, index=f.index)
    for table, group in f.groupby("table", sort=False):
        raw = report.tables.get(table)
        if raw is None:
            continue
        sheet, rows, cols = raw.layout()
        sheet_rows = np.asarray(rows)[raw.positions(group["row"].to_numpy())]
        out.loc[group.index, "row"] = sheet_rows
        if table.endswith("_last"):
            out.loc[group.index, "link"] = "'last year's return"
            continue
        anchor = group["fields"].map(lambda fs: next((x for x in fs if x in cols), "CHILD"))
        known = anchor.isin(list(cols)).to_numpy()
        if known.any():
            out.loc[group.index[known], "link"] = cell_link(sheet, anchor[known].map(cols).to_numpy(), sheet_rows[known])
    rows = out.to_numpy().tolist()
    return values_block([ERRORS_HEADER]) + (rows or values_block([["", "No errors found."]], len(ERRORS_HEADER)))


def _write_errors(sheet, report: Report, remote: bool) -> None:
    block = errors_block(report)
    sheet.range((1, 1)).value = block
    cosmetic(lambda: sheet.tables.add(source=sheet.range((1, 1), (len(block), len(ERRORS_HEADER))),
                                       name="xl_validator_errors"))  # filter buttons on the header
    cosmetic(lambda: _freeze_header(sheet))
    cosmetic(lambda: setattr(sheet.range((1, 2)), "column_width", 480 if remote else 90))


def _freeze_header(sheet) -> None:
    try:
        sheet.freeze_panes.freeze_at("1:1")
    except (AttributeError, NotImplementedError):  # the desktop engines have no freeze_panes: use COM
        sheet.activate()
        window = sheet.book.app.api.ActiveWindow
        window.SplitColumn, window.SplitRow, window.FreezePanes = 0, 1, True


def cosmetic(step) -> None:
    """Formatting that helps but is not essential: an engine that cannot do it never fails the run."""
    try:
        step()
    except Exception:
        pass


def summary_rows(report: Report, rects: pd.DataFrame, cells: pd.DataFrame,
                 notes: list[str], region=None) -> tuple[list[list], list[int], int]:
    """The Summary content, its section title rows (for bold) and the row of the fill legend."""
    f = report.findings
    rows: list[list] = [["903 validation summary"], ["Validated on", datetime.now().strftime("%d/%m/%Y %H:%M")], []]
    titles = [1]

    def section(title, header=None):
        rows.append([])
        titles.append(len(rows) + 1)
        rows.append([title])
        if header:
            titles.append(len(rows) + 1)
            rows.append(header)

    section("Inputs used")
    rows += [["Collection period", f"{report.collection_start:%d/%m/%Y} to {report.collection_end:%d/%m/%Y}"]]
    rows += [[label, value] for label, value in inputs_rows(report)]
    rows += [["Skipped", text] for text, _ in skipped_by_input(report)]
    rows += [["Local rules", f"{sum(r.source == 'local' for r in report.rules.values())} run" if any(
        r.source == "local" for r in report.rules.values()) else "none"]]
    section("Legend")
    legend = len(rows) + 1
    rows.append(["", "Cells filled like this have an error: see the Errors sheet (or the cell's note) "
                     "for the rule and message. Clear puts the cells back as they were."])
    section("Totals")
    rows += [["Findings", len(f)],
             ["Cells flagged", int(cells[["sheet", "row", "col"]].drop_duplicates().shape[0])],
             ["Blocks painted", len(rects)],
             ["Children with at least one error", report.children_with_errors],
             ["Rules run", len(report.ran)],
             ["Rules skipped (input not supplied)", len(report.skipped)],
             ["Rules that failed to run", len(report.failed)]]
    section("Findings by table", ["Table", "Findings"])
    rows += [[t, int(n)] for t, n in f.groupby("table", sort=False).size().sort_values(ascending=False).items()]
    section("Findings by rule", ["Code", "Findings", "Share", "Group", "Message"])
    rows += [[r.code, int(r.findings), round(float(r.share), 4), r.group, r.message]
             for r in report.by_rule().itertuples(index=False)]
    section("Top error groups", ["Group", "Findings", "Share", "Rules"])
    rows += [[g.group, int(g.findings), round(float(g.share), 4), int(g.rules)]
             for g in report.by_group().head(10).itertuples(index=False)]
    if report.failed or report.skipped:
        section("Rules not run", ["Code", "Status", "Reason"])
        rows += [[code, status, reason] for status, items in (("failed", report.failed), ("skipped", report.skipped))
                 for code, reason in sorted(items.items())]
    else:
        section("Rules not run")
        rows.append(["None: every rule in force ran."])
    if region is not None:
        section(f"Against the region (errors per 100 children; benchmark: {region[1]})",
                ["Code", "Ours", "Region median", "Difference"])
        rows += [[r.code, round(r.ours, 2), None if pd.isna(r.median) else round(r.median, 2),
                  None if pd.isna(r.gap) else round(r.gap, 2)]
                 for r in against_region(report, region[0]).itertuples(index=False)]
    if report.issues or notes:
        section("Notes on this run")
        rows += [[str(i)] for i in report.issues] + [[n] for n in notes]
    return rows, titles, legend


def _write_summary(sheet, report, rects, cells, notes, region=None) -> None:
    rows, titles, legend = summary_rows(report, rects, cells, notes, region)
    sheet.range((1, 1)).value = values_block(rows, 5)
    sheet.range((legend, 1)).color = FILL
    for row in titles:
        cosmetic(lambda: setattr(sheet.range((row, 1), (row, 5)).font, "bold", True))
    cosmetic(lambda: setattr(sheet.range((1, 1)), "column_width", 180 if is_remote(sheet.book) else 34))


# --- moving between flagged cells ---------------------------------------------------------------

def _goto(book, step: int) -> str:
    record = read_record(book)
    fills = record[record["kind"] == "fill"] if record is not None else None
    if fills is None or fills.empty:
        raise InputError("No errors are marked in this workbook: run Validate first.")
    cells = cells_of(fills)
    position = {s.name: i for i, s in enumerate(book.sheets)}
    cells = cells[cells["sheet"].isin(list(position))].drop_duplicates()
    if cells.empty:
        raise InputError("The marked sheets are no longer in this workbook: run Validate again.")
    keys = (cells["sheet"].map(position).to_numpy("int64") << 35) + (cells["row"].to_numpy("int64") << 14) \
        + cells["col"].to_numpy("int64")
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    current = _selection_key(book, position)
    at = np.searchsorted(keys, current, side="right" if step > 0 else "left") + (0 if step > 0 else -1)
    at = at % len(keys)  # past the last flagged cell: wrap to the first (and back)
    target = cells.iloc[order[at]]
    sheet = book.sheets[target["sheet"]]
    sheet.activate()
    sheet.range((int(target["row"]), int(target["col"]))).select()
    return f"{sheet.name}!{get_column_letter(int(target['col']))}{int(target['row'])}"


def _selection_key(book, position: dict) -> int:
    try:
        sel = book.selection
    except Exception:
        sel = None
    if sel is None or sel.sheet.name not in position:
        return -1
    return (position[sel.sheet.name] << 35) + (sel.row << 14) + sel.column


def next_error(book) -> str:
    """Select the next flagged cell after the current selection (wrapping); returns its address."""
    return _goto(book, 1)


def previous_error(book) -> str:
    """Select the flagged cell before the current selection (wrapping); returns its address."""
    return _goto(book, -1)
