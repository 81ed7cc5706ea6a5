"""Chase lists: who each child's social worker is, the findings left for a person, guidance
for every rule, one injection-safe CSV per worker, the sheet and the chase command."""
import argparse
import csv
import io
from pathlib import Path

import openpyxl
import pytest
from rulecheck import frame

import xl_validator as xv
from xl_validator.annotate.chase_book import chase_book
from xl_validator.fix import preview
from xl_validator.fix.commands import add_commands
from xl_validator.report.chase import HAND_WRITTEN, NO_WORKER, chase_list, guidance, per_worker, workers
from xl_validator.report.chase_files import chase_csvs
from xl_validator.rules import registry
from xl_validator.sheet_text import neutralise as safe_csv_value

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"


def sw(child, sw_id, start, end="", reason="FCONTA"):
    return {"CHILD": child, "DOB": "01/01/2012", "SW_ID": sw_id, "SW_DECOM": start, "SW_DEC": end, "SW_REASON": reason}


def small_return():
    """Three children: one with a worker open at 31 March, one whose last worker left, one with none;
    an ethnicity code that needs a person, a DEC typed ISO (a safe fix), a child ID that is a formula."""
    header = [{"CHILD": c, "SEX": "M", "DOB": "01/01/2012", "ETHNIC": e, "UPN": "UN1", "MOTHER": ""}
              for c, e in (("A1", "XXXX"), ("B2", "ZZZZ"), ("=HYPERLINK(\"x\")", "@bad"))]
    episodes = [{"CHILD": c, "DECOM": "01/04/2025", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U4",
                 "PLACE_PROVIDER": "PR1", "DEC": dec, "REC": rec, "HOME_POST": "TW9 1DN", "PL_POST": "TW10 6AA",
                 "URN": "XXXXXXX"}
                for c, dec, rec in (("A1", "", ""), ("B2", "2025-06-30", "E8"), ("=HYPERLINK(\"x\")", "", ""))]
    sweps = [sw("A1", "SW100", "01/04/2025", "01/06/2025"), sw("A1", "sw200 ", "01/06/2025", "", "MANAGE"),
             sw("B2", "SW300", "01/04/2025", "30/06/2025"), sw("B2", "SW400", "01/01/2025", "31/03/2025")]
    return {"Header": frame("Header", header), "Episodes": frame("Episodes", episodes),
            "SWEpisodes": frame("SWEpisodes", sweps)}


@pytest.fixture(scope="module")
def report():
    return xv.validate(small_return(), year="2025/26", rules=["103", "147", "SW13STG1"])


def test_worker_is_the_one_open_at_the_end_else_the_latest(report):
    assert workers(report) == {"A1": "SW200", "B2": "SW300"}


def test_chase_list_groups_by_worker_and_leaves_out_what_a_safe_fix_clears(report):
    fixes = preview(small_return(), year="2025/26")
    assert set(report.findings["code"]) == {"103", "147"}
    items = chase_list(report, fixes)
    assert list(zip(items["worker"], items["child"], items["code"])) == [
        ("SW200", "A1", "103"), ("SW300", "B2", "103"), (NO_WORKER, "=HYPERLINK(\"x\")", "103")]
    first = items.iloc[0]
    assert first["values"] == "ETHNIC=XXXX" and first["fields"] == "ETHNIC" and first["where"] == "Child's details: ETHNIC"
    assert first["what_to_check"] == HAND_WRITTEN["103"]
    assert set(items["status"]) == {""} and items["since"].isna().all()  # no run history given: no status
    assert "147" in set(chase_list(report)["code"])  # without the fixes it stays on the list


def test_csv_per_worker_with_injection_neutralised(report):
    files = chase_csvs(chase_list(report, preview(small_return(), year="2025/26")))
    assert sorted(name for name, _ in files.values()) == ["chase_SW200.csv", "chase_SW300.csv",
                                                          "chase_no_known_worker.csv"]
    data = files[NO_WORKER][1]
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1
    assert rows[0]["Child"] == "'=HYPERLINK(\"x\")" and rows[0]["Current values"] == "ETHNIC=@bad"
    assert rows[0]["Social worker"] == NO_WORKER and rows[0]["What is wrong (DfE message)"].startswith("The ethnicity")
    assert [safe_csv_value(v) for v in ("=1", "+1", "-1", "@x", "\tx", "ok", None)] == \
        ["'=1", "'+1", "'-1", "'@x", "'\tx", "ok", ""]


def test_worker_ids_become_safe_distinct_file_names():
    tables = small_return()
    tables["SWEpisodes"] = frame("SWEpisodes", [sw("A1", "SW/1", "01/04/2025"), sw("B2", "SW:1", "01/04/2025")])
    rep = xv.validate(tables, year="2025/26", rules=["103"])
    names = sorted(name for name, _ in chase_csvs(chase_list(rep)).values())
    assert names == ["chase_SW_1.csv", "chase_SW_1_2.csv", "chase_no_known_worker.csv"]


def test_sheet_keeps_values_as_text(report, tmp_path):
    items = chase_list(report)
    chase_book(items, per_worker(items, items.iloc[:0]), items.iloc[:0], None, []).write(tmp_path / "c.xlsx", set())
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["Chase list"]
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 4 and ws.freeze_panes == "A2"
    formula_child = next(r for r in rows if r[1].value.startswith("="))
    assert formula_child[1].data_type == "s" and formula_child[-1].hyperlink is None


def test_every_rule_in_force_has_guidance():
    for year in ("2023/24", "2025/26", "2026/27"):
        for code, rule in registry(year).items():
            text = guidance(rule)
            assert len(text) > 40 and "yaml" not in text and "codelists" not in text, code
    generated = guidance(registry("2025/26")["1004"])
    assert generated.startswith("Check the missing") and "(MIS_START)" in generated


def test_chase_command_on_the_demo(tmp_path, capsys):
    p = argparse.ArgumentParser()
    add_commands(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(["chase", str(DEMO / "903_demo_2025-26.xlsx"), "--year", "2025/26", "--out", str(tmp_path),
                         "--previous", str(DEMO / "903_demo_2024-25.xlsx"), "--la", "E09000027",
                         "--providers", str(DEMO / "ofsted_providers_demo.xlsx"), "--history",
                         str(tmp_path / "h.sqlite")])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "findings need a person" in printed and "safe fixes" in printed
    files = list(tmp_path.glob("chase_*.csv"))
    assert len(files) > 50 and (tmp_path / "chase_list.xlsx").exists()
    total = sum(len(list(csv.DictReader(f.read_text(encoding="utf-8-sig").splitlines()))) for f in files)
    ws = openpyxl.load_workbook(tmp_path / "chase_list.xlsx")["Chase list"]
    assert ws.max_row - 1 == total
    codes = {r[4] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "147" not in codes and "178" in codes  # ISO dates are a safe fix; bad provider codes need a person
