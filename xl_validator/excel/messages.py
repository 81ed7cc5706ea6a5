"""Problems shown to the analyst as a plain-words alert in Excel, never as a traceback."""
from __future__ import annotations

import sys
import traceback

from ..catalogue import UnknownYear
from ..read import InputError

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
