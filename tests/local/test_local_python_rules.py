"""Local rules written in Python: the DfE rule shape, loaded only from a file or module the user names."""
import pytest
from localcheck import frame

import xl_validator as xv
from xl_validator.rules.local import load_local_rules

CHECKS = '''
import xl_validator as xv


@xv.local_rule("L101", message="Placement ends on the child's 18th birthday: check the reason episode ceased",
               tables="Episodes", fields=["DEC"], severity="warning")
def ends_on_18th_birthday(d):
    e = d["Episodes"]
    born = dict(zip(d["Header"]["CHILD"], d["Header"].date("DOB")))
    eighteen = e["CHILD"].map(born) + __import__("pandas").DateOffset(years=18)
    return {"Episodes": e.date("DEC") == eighteen}


@xv.local_rule("L102", message="always breaks", tables=["Header"])
def broken(d):
    raise KeyError("no such thing")


@xv.local_rule("L103", message="child codes are six digits", tables="Header", fields={"Header": "CHILD"},
               severity="info")
def six_digits(d):
    return {"Header": ~d["Header"]["CHILD"].str.fullmatch(r"\\d{6}")}


@xv.local_rule("103", message="pretends to be a DfE rule", tables="Header")
def impostor(d):
    return {}
'''


@pytest.fixture
def checks(tmp_path):
    path = tmp_path / "council_checks.py"
    path.write_text(CHECKS)
    return path


def tables():
    return {"Header": frame("Header", [{"CHILD": "000001", "DOB": "10/06/2007"}, {"CHILD": "2", "DOB": "01/01/2010"}]),
            "Episodes": frame("Episodes", [{"CHILD": "000001", "DECOM": "01/04/2024", "DEC": "10/06/2025"},
                                           {"CHILD": "2", "DECOM": "01/04/2024", "DEC": "11/06/2025"}])}


def test_python_rules_run_like_dfe_rules_and_a_failing_one_is_reported_as_failed(checks):
    report = xv.validate(tables(), year="2025/26", local_rules=[str(checks)], rules=["L101", "L102", "L103", "101"],
                         postcodes=None)
    f = report.findings.set_index("code")
    assert f.loc["L101", "row"] == 0 and f.loc["L101", "fields"] == ("DEC",)
    assert (f.loc["L101", "source"], f.loc["L101", "severity"]) == ("local", "warning")
    assert f.loc["L103", "row"] == 1 and f.loc["L103", "severity"] == "info"
    assert report.failed["L102"].startswith("KeyError: 'no such thing' (at broken, line")
    assert report.rules["L101"].source == "local" and report.rules["101"].source == "DfE"


def test_a_python_rule_with_a_bad_definition_is_skipped_with_the_reason(checks):
    local = load_local_rules([str(checks)], "2025/26")
    assert sorted(local.rules) == ["L101", "L102", "L103"]
    [problem] = local.problems
    assert problem.key == "103" and "code '103' must start with L" in str(problem)
    assert str(problem).startswith(f"{checks} (impostor)")


def test_rules_load_from_an_importable_module_too(checks, monkeypatch):
    monkeypatch.syspath_prepend(str(checks.parent))
    assert sorted(load_local_rules("council_checks", "2025/26").rules) == ["L101", "L102", "L103"]


def test_a_named_file_that_is_missing_or_broken_is_an_input_error(tmp_path):
    with pytest.raises(xv.InputError, match="no such Python file of local rules"):
        load_local_rules([str(tmp_path / "nope.py")], "2025/26")
    bad = tmp_path / "bad.py"
    bad.write_text("def (:")
    with pytest.raises(xv.InputError, match="bad.py: the local rules file could not be loaded .SyntaxError"):
        load_local_rules([str(bad)], "2025/26")
    with pytest.raises(xv.InputError, match="an .xlsx workbook, a .py file or a Python module name"):
        (tmp_path / "rules.txt").write_text("L001")
        load_local_rules([str(tmp_path / "rules.txt")], "2025/26")
