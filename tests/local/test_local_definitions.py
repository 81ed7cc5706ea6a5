"""Every definition is checked before any data is: a bad one is named by its sheet row and
skipped, and the other local rules and all DfE rules still run."""
import pytest
from localcheck import HEADINGS, frame, load, rule_row

from xl_validator.api import validate_return
from xl_validator.read import read_return
from xl_validator.rules.local import load_local_rules

BAD = [
    (dict(table="Placements"), "table 'Placements' is not a 903 table of 2025/26"),
    (dict(table="Episodes", column="PL_POSTCODE"), "Episodes has no column 'PL_POSTCODE'"),
    (dict(column=""), "Header has no column '(blank)'"),
    (dict(check="must be nice"), "check 'must be nice' is not one of: required, one of"),
    (dict(check="pattern", value="[A-Z"), "the pattern '[A-Z' is not a valid regular expression"),
    (dict(check="pattern"), "a pattern check needs a regular expression"),
    (dict(check="one of"), "value is blank"),
    (dict(check="one of", value="=Team list!SW_ID"), "names sheet 'Team list', which is not in the workbook"),
    (dict(check="one of", value="=Workers!ID"), "sheet 'Workers' has no column headed 'ID'"),
    (dict(check="between", value="one and two"), "'one and two' is not two numbers"),
    (dict(check="between", value="5 and 1"), "the lowest number comes first"),
    (dict(column="DOB", check="before", value="31/02/2025"), "'31/02/2025' is not a dd/mm/yyyy date"),
    (dict(column="DOB", check="before", value="DECOM"), "Header has no column 'DECOM'"),
    (dict(column="DOB", check="before", value="DOB + 3 fortnights"), "is not a date, a column or COLUMN + N"),
    (dict(column="DOB", check="before", value="previous"), "Header has no column 'PREVIOUS'"),
    (dict(check="required", value="yes"), "'required' uses no value, but value is 'yes'"),
    (dict(column="DOB, UPN", check="within 3 days of", value="collection_end"), "checks one column"),
    (dict(column="DOB", check="within 3 weeks of", value="collection_end"), "check 'within 3 weeks of' is not one"),
    (dict(column="CHILD", check="has row in", value="Placements"), "table 'Placements' is not a 903 table"),
    (dict(only_when="UPN looks odd"), "condition 'UPN looks odd' is not one of"),
    (dict(only_when="row 2 since Episodes.DECOM"), "is not a date column"),
    (dict(severity="critical"), "severity 'critical' is not one of error, warning, info"),
    (dict(code="X001"), "code 'X001' must start with L"),
    (dict(message=""), "message is blank"),
]


@pytest.mark.parametrize("change, words", BAD, ids=[w[:30] for _, w in BAD])
def test_a_bad_definition_is_named_by_its_row_and_skipped(change, words):
    lists = {"Workers": [["SW_ID"], ["SW1"]]}
    good = rule_row(code="L002")
    bad = rule_row(**{"code": "L001", **change})
    local = load(good, bad, lists=lists)
    assert list(local.rules) == ["L002"]
    [problem] = local.problems
    assert str(problem).startswith("test sheet, row 3: ") and words in str(problem), str(problem)


def test_duplicate_and_blank_codes():
    local = load(rule_row(code="L001"), rule_row(code="l001", column="SEX"), rule_row(code=""))
    assert list(local.rules) == ["L001"] and local.rules["L001"].fields == {"Header": ("UPN",)}
    assert [(p.key, p.text[:32]) for p in local.problems] == [
        ("L001 (row 3)", "code L001 is used twice (first: "), ("row 4", "code is blank: give the rule a c")]


def test_bad_rules_are_reported_as_skipped_while_the_rest_and_dfe_rules_run():
    local = load(rule_row(code="L001", column="UPN"), rule_row(code="L002", table="Nowhere"))
    this = read_return({"Header": frame("Header", [{"CHILD": "1", "SEX": "9", "UPN": ""}])}, year="2025/26")
    report = validate_return(this, "2025/26", local_rules=local, postcodes=None)
    assert "101" in report.ran and "L001" in report.ran
    assert report.skipped["L002"].startswith("skipped: test sheet, row 3: table 'Nowhere'")
    assert set(report.findings["code"]) >= {"101", "L001"}


def test_a_sheet_without_a_header_row_is_a_note_and_nothing_else_stops():
    local = load_local_rules(None, "2025/26", own_rows=[["Our rules"], ["L001", "x"]], own_where="book, sheet 'Local rules'")
    assert not local.rules and local.notes == [
        "book, sheet 'Local rules': no header row with 'code' and 'check' in the first 20 rows "
        "(expected columns: " + ", ".join(HEADINGS) + ")"]
    missing = load_local_rules(None, "2025/26", own_rows=[["code", "check", "table"]], own_where="w")
    assert missing.notes == ["w: the header row (row 1) has no column(s) message, column"]


def test_title_rows_blank_rows_and_headings_in_any_case_are_fine():
    rows = [["Richmond's own checks"], [], [h.upper().replace("_", " ") for h in HEADINGS],
            rule_row(code="L001"), [None] * 9, rule_row(code="L002", column="SEX")]
    local = load_local_rules(None, "2025/26", own_rows=rows, own_where="w", own_first_row=5)
    assert list(local.rules) == ["L001", "L002"] and not local.problems
    assert local.where == {"L001": "w, row 8", "L002": "w, row 10"}


def test_tables_and_columns_are_those_of_the_year():
    assert "SWEpisodes" in str(load(rule_row(table="SWEpisodes", column="SW_ID"), year="2022/23").problems[0])
    assert not load(rule_row(table="sw episodes", column="sw_id"), year="2023/24").problems


def test_the_readme_examples_and_the_template_are_usable_definitions():
    import re
    from pathlib import Path

    from xl_validator.sample.local_rules import TEMPLATE_RULES

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [[c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
            for line in readme.splitlines() if line.startswith("| L0")]
    assert len(rows) == 13 and {r[5] for r in rows} >= {"required", "one of", "not one of", "pattern", "date",
                                                       "between", "unique", "unique per child", "has row in"}
    lists = {"Social workers": [["SW_ID"], ["SW1"]]}
    examples = load(*[r[:8] + [""] for r in rows], lists=lists)
    assert len(examples.rules) == 13 and not examples.problems, [str(p) for p in examples.problems]
    template = load(*TEMPLATE_RULES, lists=lists)
    assert len(template.rules) == len(TEMPLATE_RULES) and not template.problems


def test_the_committed_template_is_what_the_code_writes():
    """workbook_templates/local_rules.xlsx is generated (workbook_templates/make.py): never stale."""
    from pathlib import Path

    from xl_validator.rules.local.sheet import BookSheets, definition_rows
    from xl_validator.sample.local_rules import TEMPLATE_RULES

    book = BookSheets(Path(__file__).parents[2] / "workbook_templates" / "local_rules.xlsx")
    rows = [[cells.get(h) or "" for h in HEADINGS] for _, cells in definition_rows(book("Local rules"), "template")]
    assert rows == TEMPLATE_RULES
    assert len(book("Social workers")) > 100
