"""The whole demo return through the Office.js engine gives file mode's findings; the layer and the
xlwings Lite script import without native modules Pyodide lacks."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
from excelsim import Workbook, sheet  # noqa: E402
from pyodide_stdlib import BLOCK  # noqa: E402

import xl_validator as xv  # noqa: E402
import xl_validator.excel as xe  # noqa: E402

ROOT = Path(__file__).parents[2]
DEMO = ROOT / "workbook_templates" / "demo"


def office_js_payload_sheets(path: Path) -> list[dict]:
    """The sheets of a saved workbook as Office.js sends them: dates as ISO text, blanks as ''."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [["" if v is None else v.strftime("%Y-%m-%dT%H:%M:%S.000Z") if isinstance(v, dt.datetime) else v
                 for v in r] for r in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in rows), default=1)
        out.append(sheet(ws.title, [r + [""] * (width - len(r)) for r in rows] or [[""]]))
    wb.close()
    return out


def test_demo_return_gives_the_same_findings_as_file_mode():
    source, last = DEMO / "903_demo_2025-26.xlsx", DEMO / "903_demo_2024-25.xlsx"
    expected = xv.validate(source, year="2025/26", previous=last)
    wb = Workbook(office_js_payload_sheets(source))
    book = wb.book()
    report = xe.validate_book(book, year="2025/26", previous=str(last))
    actions = book.json()["actions"]
    key = ["code", "table", "row", "child"]
    assert (report.findings[key].sort_values(key).values.tolist()
            == expected.findings[key].sort_values(key).values.tolist())
    assert set(report.skipped) == set(expected.skipped)
    painted = sum(a["func"] == "setRangeColor" for a in actions)
    print(f"\ndemo: {len(report.findings)} findings, {len(actions)} actions, {painted} fill calls")


FORBIDDEN = ["brotli", "msgpack", "xlwings", "lxml", "pyarrow"]


def _imported_after(code: str) -> set[str]:
    """(installed packages that loaded native code, top-level modules) after running ``code``."""
    script = (code + "\nimport sys, json\n"
              "files = [getattr(m, '__file__', None) or '' for m in list(sys.modules.values())]\n"
              "print(json.dumps(sorted({f.split('site-packages')[1].strip('/\\\\').split('/')[0] for f in files "
              "if 'site-packages' in f and f.endswith(('.so', '.pyd'))})))\n"
              "print(json.dumps(sorted(m for m in sys.modules if '.' not in m)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"XLWINGS_LICENSE_KEY": "noncommercial", "PATH": ""}).stdout.splitlines()
    import json
    return set(json.loads(out[0])), set(json.loads(out[1]))


def test_excel_layer_imports_only_what_pyodide_has():
    native, modules = _imported_after("import xl_validator.excel")
    assert native <= {"numpy", "numpy.libs", "pandas", "openpyxl"}, native
    assert not modules & set(FORBIDDEN), modules & set(FORBIDDEN)


def test_lite_script_imports_and_exposes_its_scripts():
    lite = ROOT / "xl_validator" / "lite" / "main.py"
    native, modules = _imported_after(
        BLOCK + "import importlib.util\n"
        f"spec = importlib.util.spec_from_file_location('lite_main', {str(lite)!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "assert all(callable(getattr(m, f)) for f in ('validate', 'clear', 'next_flagged_cell', "
        "'previous_flagged_cell', 'fix', 'apply_fixes', 'undo_fixes'))")
    assert not modules & {"brotli", "msgpack"}
    assert "xl_validator" in modules


def test_excel_layer_imports_without_what_pyodide_lacks():
    _, modules = _imported_after(BLOCK + "import xl_validator.excel, xl_validator.excel.fixing")
    assert {"xl_validator", "pandas", "openpyxl"} <= modules


def test_blocking_really_stops_an_import():
    # the check above would pass vacuously if the block did nothing
    result = subprocess.run([sys.executable, "-c", BLOCK + "import xl_validator.report.history"],
                            capture_output=True, text=True)
    assert result.returncode != 0 and "sqlite3" in result.stderr
