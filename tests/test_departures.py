"""The departures list: every entry names a real rule version and its evidence, and users
see the list on the Rules sheet, from the command line and in the README."""
from pathlib import Path

import openpyxl
import pytest
import yaml

import xl_validator as xv
from rulecheck import frame
from xl_validator import catalogue
from xl_validator.annotate.workbook import write_annotated
from xl_validator.cli import main
from xl_validator.rules.departures import EVIDENCE, all_departures, departures, markdown

ROOT = Path(__file__).parents[1]
SPEC = ROOT.parent / "shared" / "spec" / "ssda903" / "rules"
CODELISTS = " ".join((SPEC.parent / "codelists.yaml").read_text(encoding="utf-8").split())


@pytest.mark.parametrize("entry", all_departures(), ids=lambda d: f"{d['code']}-{d['version']}")
def test_each_departure_names_a_rule_version_and_its_evidence(entry):
    assert set(entry) == {"code", "version", "differs", "evidence", "why"}
    assert entry["evidence"] in EVIDENCE
    assert len(entry["differs"]) > 20 and len(entry["why"]) > 20
    if entry["code"] == "*":
        assert entry["version"] == "all" and entry["evidence"] == "project"
        return
    assert entry["version"] in catalogue.rule_versions(entry["code"])
    spec = yaml.safe_load((SPEC / entry["version"].replace("/", "_") / f"{entry['code']}.yaml").read_text())
    if entry["evidence"] == "dfe_coding":
        # The dfe_coding field, or the DfE's coding quoted in the rule's notes.
        quoted = "DfE coding" in " ".join((spec.get("notes") or "").split())
        assert spec.get("dfe_coding") or quoted, "evidence 'dfe_coding' but the spec gives no DfE coding for this version"
    if entry["evidence"] in ("crash", "missing_column", "open_reading"):
        # The rule's own notes, or a finding about the rule in the code lists' notes (SEX codes).
        found = spec.get("notes") or f"FINDING - {entry['code']} " in CODELISTS
        assert found, f"evidence '{entry['evidence']}' but the spec has no notes for this version"


def test_no_rule_version_is_listed_twice_for_the_same_difference():
    keys = [(d["code"], d["version"], d["differs"]) for d in all_departures()]
    assert len(keys) == len(set(keys))


def test_a_year_shows_project_wide_departures_and_those_of_its_versions_only():
    for year in catalogue.YEARS:
        for d in departures(year):
            assert d["code"] == "*" or catalogue.rule_meta(d["code"], year)["version"] == d["version"]
    assert [d for d in departures("2025/26") if d["code"] == "*"]


def test_readme_lists_every_departure():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown() in readme, "README's departures table is out of date: paste rules.departures.markdown()"


def test_command_line_lists_the_departures(capsys):
    assert main(["rules", "--departures", "--year", "2025/26"]) == 0
    out = capsys.readouterr().out
    for d in departures("2025/26"):
        assert d["differs"] in out


def test_the_rules_sheet_shows_each_rules_departures(tmp_path):
    header = frame("Header", [{"CHILD": "7", "SEX": "9", "DOB": "01/01/2012", "ETHNIC": "WBRI"}])
    report = xv.validate({"Header": header}, year="2025/26")
    out = write_annotated(report, None, tmp_path / "checked.xlsx")
    ws = openpyxl.load_workbook(out)["Rules"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert ws.sheet_state == "hidden"
    for d in departures("2025/26"):
        shown = rows["all rules" if d["code"] == "*" else d["code"]][5]
        assert d["differs"] in shown and d["why"] in shown


CRASH_CASES = {  # rule: (year, tables); the first child (or row) is the case the reference fails on
    "302": ("2022/23", {"Header": [{"CHILD": "1", "DOB": "01/01/2015"}, {"CHILD": "2", "DOB": "01/01/2015"}],
                        "Episodes": [{"CHILD": "1", "DECOM": ""}, {"CHILD": "1", "DECOM": "xx"},
                                     {"CHILD": "2", "DECOM": "01/01/2014"}]}),
    "554": ("2022/23", {"Episodes": [{"CHILD": "1", "DECOM": "", "LS": "E1"}, {"CHILD": "2", "DECOM": "01/01/2022", "LS": "E1"}],
                        "PlacedAdoption": [{"CHILD": "1", "DATE_PLACED": "01/02/2022"},
                                           {"CHILD": "2", "DATE_PLACED": "01/02/2022"}]}),
    "1003": ("2022/23", {"Episodes": [{"CHILD": "1", "DECOM": "", "RNE": "S"}, {"CHILD": "2", "DECOM": "01/03/2022", "RNE": "S"}],
                         "PlacedAdoption": [{"CHILD": "1", "DATE_PLACED": "01/02/2022"},
                                            {"CHILD": "2", "DATE_PLACED": "01/02/2022"}]}),
    "1016": ("2023/24", {"OC3": [{"CHILD": "1", "DOB": "99/99/2006", "IN_TOUCH": "YES"},
                                 {"CHILD": "2", "DOB": "01/06/2006", "IN_TOUCH": "YES"}],
                         "Episodes": [{"CHILD": "1", "DECOM": "01/01/2022", "DEC": "01/12/2023"},
                                      {"CHILD": "2", "DECOM": "01/01/2022", "DEC": "01/12/2023"}]}),
}


@pytest.mark.parametrize("code", sorted(CRASH_CASES))
def test_a_crash_departure_leaves_out_only_what_the_reference_fails_on(code):
    """Where the notes say the reference fails on one child's unusable dates, that child goes
    unflagged and the rule still flags the next child (the entry says so)."""
    from rulecheck import run
    year, tables = CRASH_CASES[code]
    assert any(e["code"] == code and e["evidence"] == "crash" for e in departures(year))
    flagged = run(code, year=year, **tables)
    children = {t: {tables[t][i]["CHILD"] for i in rows} for t, rows in flagged.items()}
    assert flagged and all(c == {"2"} for c in children.values()), children
