"""Commands that only print what the tool knows start without loading pandas or openpyxl
(about a second of a cold start): each runs in a fresh interpreter, which then says what it loaded."""
import subprocess
import sys
from pathlib import Path

import pytest

CHECK = """
import contextlib, io, sys
from xl_validator.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(len(out.getvalue()), sorted(m for m in ("pandas", "openpyxl", "numpy") if m in sys.modules))
"""


@pytest.mark.parametrize("argv", [["--help"], ["rules", "--year", "2025/26"], ["rules", "--diff", "2024/25", "2025/26"],
                                  ["rules", "--year", "2025/26", "--departures"], ["la"], ["addin", "status"],
                                  ["fix", "--help"], ["export", "--help"]])
def test_printing_commands_load_neither_pandas_nor_openpyxl(argv):
    done = subprocess.run([sys.executable, "-c", CHECK, *argv], capture_output=True, text=True, timeout=120)
    printed, loaded = done.stdout.split(" ", 1)
    assert int(printed) > 0, done.stderr  # the command did print its answer
    assert loaded.strip() == "[]", f"{' '.join(argv)} loaded {loaded.strip()}"


def test_the_check_sees_pandas_when_a_command_needs_it(tmp_path):
    """The same check on a command that reads a return: pandas is loaded, so the test above can fail."""
    done = subprocess.run([sys.executable, "-c", CHECK, "validate", str(tmp_path / "missing.xlsx")],
                          capture_output=True, text=True, timeout=120)
    assert "pandas" in done.stdout.split(" ", 1)[1]


def test_a_findings_csv_run_loads_pandas_but_not_openpyxl(tmp_path):
    """Validating to a findings CSV (with last year's return and an Ofsted list, read as returns
    are) has no use for openpyxl or the annotated-copy writer: a tenth of a second of every run."""
    demo = Path(__file__).parents[1] / "workbook_templates" / "demo"
    out = tmp_path / "findings.csv"
    done = subprocess.run([sys.executable, "-c", CHECK, "validate", str(demo / "903_demo_2025-26.xlsx"),
                           "--year", "2025/26", "--previous", str(demo / "903_demo_2024-25.xlsx"),
                           "--providers", str(demo / "ofsted_providers_demo.xlsx"), "--la", "E09000027",
                           "--format", "csv", "--out", str(out), "--no-history", "-q"],
                          capture_output=True, text=True, timeout=300)
    loaded = done.stdout.split(" ", 1)[1]
    assert "pandas" in loaded and "openpyxl" not in loaded, loaded
    assert out.read_text(encoding="utf-8").startswith("code,message,table,row,child,fields,cell")
