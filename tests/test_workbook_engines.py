"""File-mode reading gives the same tables with python-calamine and with openpyxl (the
Pyodide fallback)."""
import sys
from pathlib import Path

import pytest

from xl_validator.read import read_return

DEMO = Path(__file__).parents[1] / "workbook_templates" / "demo" / "903_demo_2025-26.xlsx"


def test_calamine_and_openpyxl_read_the_demo_identically(monkeypatch):
    pytest.importorskip("python_calamine")
    fast = read_return(DEMO, year="2025/26")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    slow = read_return(DEMO, year="2025/26")
    assert fast.tables.keys() == slow.tables.keys()
    for name in fast.tables:
        a, b = fast.tables[name], slow.tables[name]
        assert a.frame.equals(b.frame), name
        assert a.rows.tolist() == b.rows.tolist() and a.cols == b.cols
