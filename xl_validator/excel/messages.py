"""Problems shown to the analyst as a plain-words alert in Excel, never as a traceback."""
from __future__ import annotations

import sys
import traceback

from ..catalogue import UnknownYear
from ..prepare.postcodes import NOT_INSTALLED
from ..read import InputError
from ..report.inputs import inputs_rows, skipped_by_input

TITLE = "xl_validator"


def alert(book, text: str, critical: bool = False) -> None:
    try:
        book.app.alert(text, title=TITLE, mode="critical" if critical else "info")
    except Exception:  # no way to show it in Excel: at least do not lose it
        print(f"{TITLE}: {text}", file=sys.stderr)


def run_with_alerts(book, action, *args, **kwargs):
    """Run ``action(book, ...)``; an input problem becomes an alert saying what to fix, anything
    unexpected an alert saying what happened (the details go to the log, not the analyst)."""
    try:
        return action(book, *args, **kwargs)
    except (InputError, UnknownYear) as e:
        alert(book, str(e), critical=True)
    except MemoryError:
        alert(book, "The run ran out of memory: the workbook is far larger than a 903 return, or this computer "
                    "is short of memory. Close other programs and workbooks, run Clear, then try again.",
              critical=True)
    except Exception as e:
        traceback.print_exc()
        alert(book, f"The run stopped because of an unexpected problem ({type(e).__name__}: {e}). "
                    "Run Clear to remove any partial results, then try again; if it happens again, "
                    "send this message to whoever supports xl_validator.", critical=True)
    return None


def done_text(report) -> str:
    """The alert after Validate: the count, the inputs used, what was skipped and why, and any
    missing columns or doubt about the year."""
    missing = [str(i) for i in report.issues if "missing column" in i.message]
    year = [str(i) for i in report.issues if "collection year" in i.message]
    text = f"{len(report.findings):,} errors found." if len(report.findings) else "No errors found."
    text += "\n\n" + "\n".join(f"{label}: {value}" for label, value in inputs_rows(report)
                                if label not in ("Return", "Postcode data"))
    skipped = skipped_by_input(report)
    if skipped:
        text += "\n\nNot checked: " + "; ".join(line for line, _ in skipped) + "."
    if missing:
        text += "\n\nSome columns are missing, so the rules that need them were skipped:\n" + "\n".join(missing)
    if year:
        text += "\n\nCheck the year (Settings): " + year[0]
    if any(NOT_INSTALLED in r for r in report.skipped.values()):
        text += "\n\nThe postcode rules were skipped: " + NOT_INSTALLED + "."
    return text
