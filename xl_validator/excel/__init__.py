"""The Excel layer: validate the open workbook in place (xlwings desktop or xlwings Lite), and undo it.

Takes any ``xw.Book``; does not import xlwings itself, so it imports anywhere the engine does
(including Pyodide for xlwings Lite).
"""
from .layer import clear_book, next_error, previous_error, validate_book
from .messages import run_with_alerts
from .settings import Settings, read_settings, write_settings

__all__ = ["validate_book", "clear_book", "next_error", "previous_error", "read_settings", "write_settings",
           "Settings", "run_with_alerts"]
