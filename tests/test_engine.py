"""The engine and the public API: registry per year, skipping, failing, overrides, findings shape."""
import pandas as pd
import pytest

import xl_validator as xv
from rulecheck import frame
from xl_validator import catalogue
from xl_validator.prepare import Data
from xl_validator.read import read_return
from xl_validator.rules import Rule, defined_in, registry
from xl_validator.rules.engine import run


def test_each_year_runs_exactly_the_rules_in_force():
    for year in catalogue.YEARS:
        assert sorted(registry(year)) == sorted(catalogue.in_force(year)), year


def test_registry_versions_follow_the_catalogue():
    """A code's function for a year comes from the folder of the version in force that year."""
    for year in catalogue.YEARS:
        for code, r in registry(year).items():
            assert r.version == catalogue.rule_meta(code, year)["version"]
            assert r.fn is defined_in(r.version)[code], (code, year)


def test_highlighted_fields_exist_in_their_tables():
    derived = {"UASC", "PL_LA", "PL_LOCATION", "PL_DISTANCE"}
    wrong = []
    for year in catalogue.YEARS:
        for code, r in registry(year).items():
            for table, fields in r.fields.items():
                known = set(catalogue.columns(table.removesuffix("_last"))) | derived
                wrong += [(code, year, table, f) for f in fields if f not in known]
    assert wrong == []


def _data(**tables):
    ret = read_return({k: frame(k, v) for k, v in tables.items()})
    return Data(ret.tables, "2022/23")


def test_a_rule_that_raises_is_reported_failed_and_the_rest_still_run():
    boom = Rule("X1", "2022/23", "m", ("Header",), {"Header": ("SEX",)}, lambda d: 1 / 0)
    ok = Rule("X2", "2022/23", "m", ("Header",), {"Header": ("SEX",)}, lambda d: {"Header": d["Header"]["SEX"] == "3"})
    out = run(_data(Header=[{"CHILD": "1", "SEX": "3"}]), [boom, ok])
    assert "ZeroDivisionError" in out.failed["X1"] and out.ran == ["X2"]
    assert [(c, t, list(p)) for c, t, p in out.hits] == [("X2", "Header", [0])]


def test_bad_masks_fail_the_rule_not_the_run():
    short = Rule("X3", "2022/23", "m", ("Header",), {}, lambda d: {"Header": [True]})
    far = Rule("X4", "2022/23", "m", ("Header",), {}, lambda d: {"Header": [5]})
    out = run(_data(Header=[{"CHILD": "1"}, {"CHILD": "2"}]), [short, far])
    assert set(out.failed) == {"X3", "X4"}


def test_missing_inputs_are_skipped_with_the_reason():
    report = xv.validate({"Header": frame("Header", [{"CHILD": "1", "SEX": "1"}])}, year="2022/23")
    assert report.skipped, "rules needing other tables must be skipped"
    assert all(reason.startswith("skipped: ") for reason in report.skipped.values())
    assert any("no Episodes table" in r for r in report.skipped.values())
    assert not report.failed


def test_findings_have_the_documented_columns_and_types():
    header = frame("Header", [{"CHILD": "7", "SEX": "9", "DOB": "01/01/2012", "ETHNIC": "WBRI"}])
    report = xv.validate({"Header": header}, year="2022/23", rules=["101"])
    f = report.findings
    assert list(f.columns) == ["code", "message", "table", "row", "child", "fields", "cell", "source", "severity"]
    assert f.iloc[0].to_dict() == {"code": "101", "message": "Gender code is not valid.", "table": "Header",
                                   "row": 0, "child": "7", "fields": ("SEX",), "cell": "Header!B2", "source": "DfE",
                                   "severity": "error"}


def test_rules_argument_limits_the_run_and_rejects_unknown_codes():
    header = {"Header": frame("Header", [{"CHILD": "7"}])}
    assert xv.validate(header, year="2022/23", rules=["101", "102"]).ran == ["101", "102"]
    with pytest.raises(xv.InputError, match="not in force in 2022/23"):
        xv.validate(header, year="2022/23", rules=["SW06STG2"])


def test_year_forms_and_collection_period_overrides():
    header = {"Header": frame("Header", [{"CHILD": "7"}])}
    r = xv.validate(header, year="2025-26", rules=["101"])
    assert r.year == "2025/26" and r.collection_start == pd.Timestamp("2025-04-01")
    assert r.collection_end == pd.Timestamp("2026-03-31")
    r = xv.validate(header, year=2026, rules=["101"], collection_start="01/05/2025", collection_end="28/02/2026")
    assert (r.collection_start, r.collection_end) == (pd.Timestamp("2025-05-01"), pd.Timestamp("2026-02-28"))
    with pytest.raises(xv.InputError, match="not a date"):
        xv.validate(header, year="2025/26", collection_start="2025-04-01")
    with pytest.raises(catalogue.UnknownYear, match="2019/20"):
        xv.validate(header, year="2019/20")


@pytest.mark.parametrize("start,end,expected", [
    (None, "29/02/2024", ("2023-04-01", "2024-02-29")),       # only the end: its own year's 1 April
    (None, "15/04/2024", ("2024-04-01", "2024-04-15")),       # an end in April belongs to the next year
    ("01/05/2025", None, ("2025-05-01", "2026-03-31")),       # only the start: its year's 31 March
    ("01/02/2026", None, ("2026-02-01", "2026-03-31")),
])
def test_one_collection_bound_gives_the_other_from_its_own_year(start, end, expected):
    header = {"Header": frame("Header", [{"CHILD": "7"}])}
    r = xv.validate(header, year="2025/26", rules=["101"], collection_start=start, collection_end=end)
    assert (r.collection_start, r.collection_end) == tuple(pd.Timestamp(d) for d in expected)


def test_an_impossible_collection_period_is_refused():
    header = {"Header": frame("Header", [{"CHILD": "7"}])}
    with pytest.raises(xv.InputError, match="collection_start 01/04/2026 is after collection_end 31/03/2026"):
        xv.validate(header, year="2025/26", collection_start="01/04/2026", collection_end="31/03/2026")


def test_collection_end_override_changes_what_a_rule_sees():
    sw = frame("SWEpisodes", [{"CHILD": "1", "SW_ID": "SW1234", "SW_DECOM": "15/03/2024", "SW_REASON": "MANAGE"}])
    assert xv.validate({"SWEpisodes": sw}, year="2023/24", rules=["SW06STG2"]).findings.empty
    r = xv.validate({"SWEpisodes": sw}, year="2023/24", rules=["SW06STG2"], collection_end="29/02/2024")
    assert r.findings["row"].tolist() == [0]


def test_previous_year_findings_name_the_last_table():
    this = {"Header": frame("Header", [{"CHILD": "1", "SEX": "1", "DOB": "01/01/2012"}])}
    last = {"Header": frame("Header", [{"CHILD": "1", "SEX": "1", "DOB": "02/02/2012"}])}
    rules = [c for c, r in registry("2022/23").items() if any(t.endswith("_last") and f for t, f in r.fields.items())]
    report = xv.validate(this, year="2022/23", previous=last, rules=rules)
    assert not report.failed
    flagged_last = report.findings[report.findings["table"].str.endswith("_last")]
    assert set(flagged_last["table"]) <= {t + "_last" for t in catalogue.all_tables()}


def test_local_authority_by_code_or_name_and_clear_refusals():
    from xl_validator.api import local_authority_code

    assert local_authority_code("e09000027") == "E09000027"
    assert local_authority_code("Richmond upon Thames") == "E09000027"
    assert local_authority_code("E06000063") == "E06000063"  # Cumberland, created 2023
    assert local_authority_code(None) is None
    with pytest.raises(xv.InputError, match="district.*E10000011"):
        local_authority_code("E07000061")  # Eastbourne, a district of East Sussex
    with pytest.raises(xv.InputError, match="not a known council"):
        local_authority_code("Narnia")


def test_xml_children_with_uasc_0_are_not_treated_as_uasc(tmp_path):
    """An XML return has a UASC row for every HEADER/UASC value, 0 included; rules asking
    'is this child UASC' must read the flag, not the row (406: distance must be blank)."""
    def child(n, uasc):
        return (f"<CHILD><HEADER><CHILDID>{n}</CHILDID><SEX>M</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
                f"<UASC>{uasc}</UASC></HEADER><EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>C2</LS>"
                "<PL>U4</PL><HOME_POST>TW9 1DN</HOME_POST><PL_POST>SW1A 1AA</PL_POST></EPISODE></CHILD>")
    path = tmp_path / "903.xml"
    path.write_text(f"<EXPSSDA903>{child('A', '0')}{child('B', '1')}</EXPSSDA903>")
    report = xv.validate(path, year="2025/26", rules=["406"])
    assert report.findings["child"].tolist() == ["B"]


def test_a_return_validated_as_the_wrong_year_gets_a_note():
    from xl_validator.sample import generate

    this, _ = generate(40, "2024/25", seed=5, error_rate=0)
    wrong = xv.validate(this, year="2025/26", rules=["101"])
    assert any("fall in collection year 2024/25" in str(i) for i in wrong.issues)
    right = xv.validate(this, year="2024/25", rules=["101"])
    assert not any("collection year" in str(i) for i in right.issues)


def test_a_blank_child_never_matches_another_row():
    """A row with no CHILD belongs to nobody: its join key is its own, in every table, so the
    'continuously looked after' and 'UASC' sets (and any merge) never pair two blank-CHILD rows."""
    from xl_validator.rules.common import continuously_looked_after, uasc_children

    eps = [{"CHILD": "", "DECOM": "01/01/2020", "RNE": "S", "LS": "C2"},
           {"CHILD": " ", "DECOM": "01/01/2020", "RNE": "S", "LS": "C2"},
           {"CHILD": "7", "DECOM": "01/01/2020", "RNE": "S", "LS": "C2"}]
    uasc = [{"CHILD": "", "DUC": "01/01/2024"}, {"CHILD": "8", "DUC": "01/01/2024"}]
    data = _data(Episodes=eps, UASC=uasc)
    keys = list(data["Episodes"]["CHILD"]) + list(data["UASC"]["CHILD"])
    assert len(set(keys)) == len(keys) and "" not in keys and " " not in keys
    assert list(data["Episodes"].blank("CHILD")) == [True, True, False]
    assert "7" in continuously_looked_after(data) and not continuously_looked_after(data) & set(data["UASC"]["CHILD"])
    assert uasc_children(data) & set(data["Episodes"]["CHILD"]) == set() and "8" in uasc_children(data)

def test_every_rule_runs_on_empty_tables_of_every_year():
    """A return whose tables hold only their header rows: nothing to flag, nothing may fail."""
    for year in catalogue.YEARS:
        tables = {t: frame(t, []) for t in catalogue.tables(year)}
        report = xv.validate(tables, year=year, previous={t: frame(t, []) for t in catalogue.tables(year)},
                             local_authority="E09000027", provider_info=pd.DataFrame({"URN": ["SC1"]}))
        assert report.failed == {} and report.findings.empty, (year, report.failed)


def test_importing_the_package_loads_no_pandas_until_it_is_used():
    """`import xl_validator` is cheap (start-up of every command) and works without the engine's
    dependencies; xv.validate loads them on first use."""
    import subprocess
    import sys

    code = ("import sys, xl_validator as xv; assert 'pandas' not in sys.modules, 'pandas loaded early'; "
            "xv.validate; assert 'pandas' in sys.modules; print(xv.__version__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
