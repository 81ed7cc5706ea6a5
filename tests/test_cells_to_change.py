"""Findings on values worked out from postcodes point at the postcode cells the analyst edits."""
import openpyxl

from rulecheck import frame
from xl_validator.cli import main
from xl_validator.rules import registry
from xl_validator.report.groups import error_group
from xl_validator.sample.workbook import write_return_workbook

EPISODE = {"DECOM": "01/06/2022", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "R1", "PLACE_PROVIDER": "PR1",
           "REASON_PLACE_CHANGE": "", "REC": "X1", "HOME_POST": "SW1A 1AA", "PL_POST": "TW9 1DN", "URN": "XXXXXXX"}


def test_a_blank_placement_postcode_is_flagged_on_the_postcode_not_the_child(tmp_path):
    header = frame("Header", [{"CHILD": c, "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI", "UPN": "A123456789012",
                               "UASC": "0"} for c in ("1", "2")])
    episodes = frame("Episodes", [{"CHILD": "1", **EPISODE, "PL_POST": ""}, {"CHILD": "2", **EPISODE}])
    book = write_return_workbook({"Header": header, "Episodes": episodes}, tmp_path / "903.xlsx", "2022/23")
    out = tmp_path / "checked.xlsx"
    main(["validate", str(book), "--year", "2022/23", "--la", "E09000033", "--rules", "169,179,392a,1015",
          "--out", str(out), "-q", "--no-history"])
    wb = openpyxl.load_workbook(out)
    ws = wb["Episodes"]
    head = {c.value: c.column_letter for c in ws[1]}
    postcode = ws[f"{head['PL_POST']}2"].comment.text
    assert {line.split(":")[0] for line in postcode.splitlines()} == {"169", "179", "392a", "1015"}
    assert ws[f"{head['HOME_POST']}2"].comment.text.startswith("392a: ")
    # child 2 is placed in Richmond by its own provision while the council is Westminster
    assert ws[f"{head['PLACE_PROVIDER']}3"].comment.text.startswith("1015: ")
    assert ws[f"{head['PL_POST']}3"].comment.text.startswith("1015: ")
    assert ws[f"{head['CHILD']}2"].comment is None and ws[f"{head['CHILD']}3"].comment is None
    errors = {(r[0], r[5]) for r in wb["Errors"].iter_rows(min_row=2, values_only=True)}
    assert ("169", "PL_POST") in errors and ("392a", "HOME_POST, PL_POST") in errors


def test_rules_on_values_from_postcodes_are_in_the_placement_postcode_group():
    rules = registry("2025/26")
    for code in ("169", "179", "392a", "452", "453", "503G", "503H", "503J", "1015"):
        assert error_group(rules[code]) == "Placement postcode", code
    assert error_group(rules["503F"]) == "Consistency with last year"
