"""What the ribbon buttons call through RunPython: ``import xl_validator.excel.desktop as d; d.validate()``.

Each function works on the workbook that called it and turns any problem into an alert.
"""
from __future__ import annotations

from pathlib import Path

import xlwings as xw

from ..report import history
from . import child, fixing, layer
from .dashboard import dashboard_book
from .messages import alert, done_text, run_with_alerts
from .settings import read_settings, write_settings


def _done(book, report) -> None:
    if report is not None:
        alert(book, done_text(report))


def _record_history(book, report) -> None:
    """Add the run to the history file beside the saved workbook, as the command line does;
    an unsaved book or an unwritable history is no reason to disturb the analyst."""
    if report is None:
        return
    path = Path(book.fullname)
    if not path.is_file():
        return
    try:
        history.record(report, path)
    except history.HistoryError:
        pass


def validate() -> None:
    book = xw.Book.caller()
    report = run_with_alerts(book, layer.validate_book)
    _record_history(book, report)
    _done(book, report)


def check_child() -> None:
    """Re-check the child of the selected row and show its findings."""
    book = xw.Book.caller()
    done = run_with_alerts(book, child.check_child)
    if done is not None:
        alert(book, child.child_text(*done))


def dashboard() -> None:
    """Build the Dashboard sheet: figures for leadership, with the data quality beside them."""
    book = xw.Book.caller()
    board = run_with_alerts(book, dashboard_book, history=_earlier_runs(book))
    if board is not None:
        alert(book, f"Dashboard built for {board.year}. Small numbers are "
                    f"{'suppressed (1 to 4 shown as [c])' if read_settings(book).suppress_small else 'shown as they are'}"
                    " (Settings changes this). Hover over a figure's title for its definition.")


def _earlier_runs(book):
    """The recorded runs of this return, for the Dashboard's trend; none for an unsaved book."""
    path = Path(book.fullname)
    if not path.is_file():
        return None
    try:
        return history.runs(history.history_path(path), source=path.name)  # this return's runs, whatever its name
    except history.HistoryError:
        return None


def clear() -> None:
    run_with_alerts(xw.Book.caller(), layer.clear_book)


def next_error() -> None:
    run_with_alerts(xw.Book.caller(), layer.next_error)


def previous_error() -> None:
    run_with_alerts(xw.Book.caller(), layer.previous_error)


def fix() -> None:
    """List the safe fixes on a 'Fix preview' sheet; nothing changes until Apply fixes."""
    fixing.fix_command(xw.Book.caller())


def apply_fixes() -> None:
    fixing.apply_command(xw.Book.caller())


def undo_fixes() -> None:
    fixing.undo_command(xw.Book.caller())


def _ask(book, prompt: str, current: str):
    """Excel's own input box (Windows); None when the analyst cancels."""
    answer = book.app.api.InputBox(prompt, "xl_validator settings", current)
    return None if answer is False else str(answer).strip()


def _edit_settings(book) -> None:
    current = read_settings(book)
    try:
        year = _ask(book, "Collection year (e.g. 2025/26; blank for the year in progress):", current.year)
        if year is None:
            return
        previous = _ask(book, "Full path of last year's return (blank for none):", current.previous)
        if previous is None:
            return
        providers = _ask(book, "Full paths of the Ofsted provider lists, separated by | (blank for none):",
                         "|".join(current.providers))
        if providers is None:
            return
        la = _ask(book, "Local authority code, e.g. E09000027 (blank for none):", current.local_authority)
        if la is None:
            return
        local = _ask(book, "Full paths of workbooks of local rules, separated by | (blank for none; a Local "
                           "rules sheet in this workbook is always used):", "|".join(current.local_rules))
        if local is None:
            return
        benchmark = _ask(book, "Full path of a regional benchmark workbook or folder of error profiles "
                               "(blank for none):", current.benchmark)
        if benchmark is None:
            return
        small = _ask(book, "Dashboard: suppress small numbers (1 to 4 children shown as [c]) for sharing? "
                           "yes or no:", "yes" if current.suppress_small else "no")
        if small is None:
            return
    except AttributeError:  # no input box on this platform (Excel for Mac): show how to change them instead
        alert(book, "Current settings:\n" + "\n".join(f"{k}: {v}" for k, v in current.rows())
              + "\n\nOn this computer, change them from Python with xl_validator.excel.write_settings(book, ...).")
        return
    saved = write_settings(book, year=year, previous=previous,
                           providers=[p for p in providers.split("|") if p.strip()], local_authority=la,
                           local_rules=[p for p in local.split("|") if p.strip()], benchmark=benchmark,
                           suppress_small=small.lower().startswith("y"))
    alert(book, "Settings saved in this workbook:\n" + "\n".join(f"{k}: {v}" for k, v in saved.rows()))


def settings() -> None:
    run_with_alerts(xw.Book.caller(), _edit_settings)
