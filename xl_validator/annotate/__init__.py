"""Write results back: an annotated copy of the workbook (file mode), or findings as CSV/JSON.

``write_annotated`` loads on first use, so a run writing only the findings CSV (which uses
``annotate.safe_text``) does not load openpyxl and the copy writer.
"""
from importlib import import_module

from ..outputs import save_atomically, save_text

__all__ = ["write_annotated", "save_atomically", "save_text"]


def __getattr__(name: str):
    if name == "write_annotated":
        value = import_module(".workbook", __name__).write_annotated
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
