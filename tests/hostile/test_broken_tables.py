"""Tables that are partly unreadable, and returns that outgrow a sheet: a clear stop (exit 2)
unless the user asks to go on, a bad line reported by number, nothing silently cut."""
import csv

import openpyxl
from hostile_checks import YEAR, digests, formula_cells, leftovers, run, sample_tables, write_csvs, write_xlsx

import xl_validator as xv
from xl_validator.annotate import workbook as annotated


def test_a_table_that_cannot_be_read_stops_the_run_unless_asked_to_go_on(tmp_path, capsys):
    this, _ = sample_tables()
    folder = write_csvs(this, tmp_path / "csv")
    header = folder / "header.csv"
    header.write_text(header.read_text().replace(",", ";"))
    before = digests(folder)
    for command in (["validate", folder, "--year", YEAR, "--no-history", "--out", tmp_path / "c.xlsx"],
                    ["fix", folder, "--year", YEAR, "--out", tmp_path / "f.xlsx"],
                    ["chase", folder, "--year", YEAR, "--out", tmp_path / "chase"]):
        code, _, err = run(capsys, *command)
        assert code == 2 and str(header) in err and "separated by semicolons" in err and "--keep-going" in err
    assert not (tmp_path / "c.xlsx").exists() and not (tmp_path / "f.xlsx").exists()
    code, out, _ = run(capsys, "validate", folder, "--year", YEAR, "--no-history", "--keep-going",
                       "--out", tmp_path / "c.xlsx")
    assert code == 1 and "separated by semicolons" in out
    report = xv.validate(folder, year=YEAR)  # the Python API goes on, with the problem noted
    assert "Header" not in report.tables and any(i.unreadable for i in report.issues)
    assert digests(folder) == before


def test_one_bad_line_is_reported_by_number_and_the_rest_read(tmp_path, capsys):
    this, _ = sample_tables()
    folder = write_csvs(this, tmp_path / "csv")
    path = folder / "episodes.csv"
    lines = path.read_text().splitlines()
    lines[3] += ",surplus,values"
    lines[5] = lines[5].replace(lines[5].split(",")[1], '"a quoted\nnewline"', 1)
    path.write_text("\n".join(lines) + "\n")
    report = xv.validate(folder, year=YEAR, keep_going=False)
    episodes = report.tables["Episodes"]
    assert len(episodes) == len(this["Episodes"]) - 1
    note = next(str(i) for i in report.issues if "episodes.csv" in str(i) and "line 4" in str(i))
    assert "values where the header row has" in note
    # the quoted newline takes two lines: the rows after it keep their real line numbers
    assert episodes.rows.tolist()[:6] == [2, 3, 5, 6, 8, 9]


def test_more_findings_than_a_sheet_holds(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(annotated, "SHEET_ROWS", 150)  # stands for Excel's 1,048,576 rows
    this, _ = sample_tables(children=150, error_rate=0.5)
    book = write_xlsx(this, tmp_path / "return.xlsx")
    out = tmp_path / "out" / "checked.xlsx"
    code, _, _ = run(capsys, "validate", book, "--year", YEAR, "--no-history", "--out", out)
    assert code == 1
    report = xv.validate(book, year=YEAR)
    assert len(report.findings) > 150 and report.by_child().shape[0] > 100
    wb = openpyxl.load_workbook(out)
    assert wb["Errors"].max_row == 150
    summary = [c.value for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("more than a sheet holds" in v and "checked_findings.csv" in v for v in summary)
    assert wb["Summary"].max_row <= 150
    assert any("children: a sheet holds no more" in v for v in summary)
    with open(out.with_name("checked_findings.csv"), newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == len(report.findings)
    assert formula_cells(out.parent) == [] and not leftovers(tmp_path)


def test_a_value_longer_than_a_cell_holds_is_noted(tmp_path, capsys):
    this, _ = sample_tables()
    this["Episodes"].loc[0, "PL_POST"] = "X" * 40_000
    folder = write_csvs(this, tmp_path / "csv")
    code, out, _ = run(capsys, "validate", folder, "--year", YEAR, "--no-history", "--out", tmp_path / "c.xlsx")
    assert code == 1 and "Episodes.PL_POST: 1 value(s) longer than the 32,767 characters an Excel cell holds" in out
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert len(wb["Episodes"]["K2"].value) == 32_767 or any(
        len(str(c.value or "")) == 32_767 for c in wb["Episodes"][2])
