import pytest
from rulecheck import run


def test_101_flags_blank_and_unknown_sex_codes():
    assert run("101", Header=[{"CHILD": "1", "SEX": ""}, {"CHILD": "2", "SEX": "3"},
                              {"CHILD": "3", "SEX": "1"}, {"CHILD": "4", "SEX": "2"}]) == {"Header": [0, 1]}


def test_101_from_2024_accepts_m_f_u_and_rejects_old_codes():
    rows = [{"CHILD": "1", "SEX": "M"}, {"CHILD": "2", "SEX": "f"}, {"CHILD": "3", "SEX": "U"},
            {"CHILD": "4", "SEX": "1"}, {"CHILD": "5", "SEX": ""}]
    assert run("101", year="2024/25", Header=rows) == {"Header": [3, 4]}


def test_102_flags_blank_iso_and_impossible_dates():
    rows = [{"CHILD": "1", "DOB": "01/05/2010"}, {"CHILD": "2", "DOB": ""}, {"CHILD": "3", "DOB": "2010-05-01"},
            {"CHILD": "4", "DOB": "29/02/2021"}, {"CHILD": "5", "DOB": "1/5/2010"}, {"CHILD": "6", "DOB": " 01/05/2010"}]
    assert run("102", Header=rows) == {"Header": [1, 2, 3, 5]}


def test_103_ethnicity_code_list_after_upper_casing():
    rows = [{"CHILD": "1", "ETHNIC": "WBRI"}, {"CHILD": "2", "ETHNIC": "wbri"}, {"CHILD": "3", "ETHNIC": ""},
            {"CHILD": "4", "ETHNIC": "WBRI "}, {"CHILD": "5", "ETHNIC": "NOBT"}]
    assert run("103", Header=rows) == {"Header": [2, 3]}


def test_header_rule_is_skipped_without_header_table():
    assert run("103", Episodes=[{"CHILD": "1"}], expect="skipped") == {}


def test_int31_flags_every_copy_of_a_repeated_child_but_not_blanks():
    rows = [{"CHILD": "101"}, {"CHILD": "101"}, {"CHILD": "102"}, {"CHILD": ""}, {"CHILD": ""}]
    assert run("INT31", AD1=rows) == {"AD1": [0, 1]}


# ---- 105: UASC flag in XML returns ----

import xl_validator as xv  # noqa: E402


def _xml_uasc(tmp_path, values):
    children = "".join(f"<CHILD><HEADER><CHILDID>{i}</CHILDID><UASC>{v}</UASC></HEADER></CHILD>"
                       for i, v in enumerate(values, start=1))
    path = tmp_path / "return.xml"
    path.write_text(f"<EXPSSDA903>{children}</EXPSSDA903>")
    report = xv.validate(path, year="2022/23", rules=["105"], postcodes=None)
    assert "105" not in report.skipped and "105" not in report.failed
    return sorted(report.findings.loc[report.findings["table"] == "Header", "row"].tolist())


def test_105_xml_flags_blank_and_non_0_1_uasc(tmp_path):
    assert _xml_uasc(tmp_path, ["", "2", "0", "1", "1.0", "x"]) == [0, 1, 5]


def test_105_csv_return_never_flags():
    rows = [{"CHILD": "1", "UASC": "2"}, {"CHILD": "2", "UASC": ""}]
    assert run("105", Header=rows) == {}


# ---- 168: UPN format ----

def test_168_upn_format():
    rows = [{"CHILD": "1", "UPN": "UN7"}, {"CHILD": "2", "UPN": "I072272729588"},
            {"CHILD": "3", "UPN": "K06014812931"}, {"CHILD": "4", "UPN": "X06805040829A"},
            {"CHILD": "5", "UPN": "UN3"}, {"CHILD": "6", "UPN": ""}, {"CHILD": "7", "UPN": "x068050408291"},
            {"CHILD": "8", "UPN": "X068050408291 "}, {"CHILD": "9", "UPN": "S068050408291"},
            {"CHILD": "10", "UPN": "A0680504082912"}]
    assert run("168", Header=rows) == {"Header": [0, 1, 2, 7, 8, 9]}


# ---- 171: MC_DOB a valid date when given ----

def test_171_mc_dob_valid_when_given():
    rows = [{"CHILD": "1", "MC_DOB": "15/15/2021"}, {"CHILD": "2", "MC_DOB": "2021"},
            {"CHILD": "3", "MC_DOB": ""}, {"CHILD": "4", "MC_DOB": "15/05/2021"}, {"CHILD": "5", "MC_DOB": "1/5/2021"},
            {"CHILD": "6", "MC_DOB": "15/05/21"}]
    assert run("171", Header=rows) == {"Header": [0, 1, 5]}


# ---- 202, 203, 204, 208: agreement with last year ----

def test_202_sex_differs_from_last_year():
    now = [{"CHILD": "1", "SEX": "1"}, {"CHILD": "2", "SEX": ""}, {"CHILD": "3", "SEX": "1"},
           {"CHILD": "4", "SEX": ""}, {"CHILD": "5", "SEX": "2"}, {"CHILD": "6", "SEX": "2"}]
    last = [{"CHILD": "1", "SEX": "2"}, {"CHILD": "2", "SEX": "2"}, {"CHILD": "3", "SEX": "1"},
            {"CHILD": "4", "SEX": ""}, {"CHILD": "6", "SEX": "2"}, {"CHILD": "6", "SEX": "1"}]
    assert run("202", Header=now, last={"Header": last}) == {"Header": [0, 1, 5]}


def test_202_compares_text_across_the_2024_switch_to_m_and_f():
    """The logic compares the text: last year's '1' and this year's 'M' differ."""
    now = [{"CHILD": "1", "SEX": "M"}, {"CHILD": "2", "SEX": "F"}, {"CHILD": "3", "SEX": "M"}, {"CHILD": "4", "SEX": "m"}]
    last = [{"CHILD": "1", "SEX": "1"}, {"CHILD": "2", "SEX": "2"}, {"CHILD": "3", "SEX": "M"}, {"CHILD": "4", "SEX": "M"}]
    assert run("202", year="2024/25", Header=now, last={"Header": last}) == {"Header": [0, 1]}


def test_202_skipped_without_last_year():
    assert run("202", Header=[{"CHILD": "1", "SEX": "1"}], expect="skipped") == {}


def test_203_dob_compared_as_dates():
    now = [{"CHILD": "1", "DOB": "23/09/2016"}, {"CHILD": "2", "DOB": "31/12/19"}, {"CHILD": "3", "DOB": "16/03/2020"},
           {"CHILD": "4", "DOB": "31/02/2018"}, {"CHILD": "5", "DOB": "1/2/2010"}, {"CHILD": "6", "DOB": "01/01/2015"}]
    last = [{"CHILD": "1", "DOB": "22/09/2016"}, {"CHILD": "2", "DOB": "31/12/2019"}, {"CHILD": "3", "DOB": "16/03/2020"},
            {"CHILD": "4", "DOB": "31/02/2018"}, {"CHILD": "5", "DOB": "01/02/2010"}, {"CHILD": "7", "DOB": "01/01/2000"}]
    assert run("203", Header=now, last={"Header": last}) == {"Header": [0, 1]}


@pytest.mark.parametrize("code,col,same,other", [("203", "DOB", "01/01/2015", "02/01/2015"),
                                                  ("204", "ETHNIC", "WBRI", "WIRI"), ("208", "UPN", "UN1", "A123456789012")])
def test_child_repeated_last_year_compared_with_every_row(code, col, same, other):
    """The notes: the reference fails when Header_last repeats a child; compare with every row
    (a listed departure). Child 2, whose single row agrees, passes."""
    now = [{"CHILD": "1", col: same}, {"CHILD": "2", col: same}]
    last = [{"CHILD": "1", col: same}, {"CHILD": "1", col: other}, {"CHILD": "2", col: same}]
    assert run(code, Header=now, last={"Header": last}) == {"Header": [0]}


def test_204_ethnicity_differs_from_last_year():
    now = [{"CHILD": "1", "ETHNIC": "WBRI"}, {"CHILD": "2", "ETHNIC": ""}, {"CHILD": "3", "ETHNIC": "nobt"},
           {"CHILD": "4", "ETHNIC": "WBRI"}]
    last = [{"CHILD": "1", "ETHNIC": "NOBT"}, {"CHILD": "2", "ETHNIC": "MOTH"}, {"CHILD": "3", "ETHNIC": "NOBT"}]
    assert run("204", Header=now, last={"Header": last}) == {"Header": [0, 1]}


def test_208_upn_changes():
    pairs = [("X888888888888", "A123456789012", True), ("UN4", "UN3", True), ("UN1", "UN2", False),
             ("UN5", "H801200001001", False), ("", "", False), ("X888888888888", "", True),
             ("X888888888888", "UN2", True), ("UN1", "", True), ("UN2", "", True), ("", "UN3", False),
             ("", "A123456789012", False), ("A123456789012", "A123456789012", False),
             ("", "UN1", True), ("UN1", "UN1", False), ("", "UN5", False)]
    now = [{"CHILD": str(i), "UPN": new} for i, (_, new, _) in enumerate(pairs)]
    last = [{"CHILD": str(i), "UPN": old} for i, (old, _, _) in enumerate(pairs)]
    expected = [i for i, (_, _, flag) in enumerate(pairs) if flag]
    assert run("208", Header=now, last={"Header": last}) == {"Header": expected}


# ---- 209: UN1 for a child of school age ----

def test_209_un1_school_age_cut_off():
    rows = [{"CHILD": "1", "UPN": "UN1", "DOB": "31/08/2017"}, {"CHILD": "2", "UPN": "UN1", "DOB": "03/10/2010"},
            {"CHILD": "3", "UPN": "UN1", "DOB": "01/09/2017"}, {"CHILD": "4", "UPN": "UN2", "DOB": "03/10/2010"},
            {"CHILD": "5", "UPN": "UN1", "DOB": ""}]
    assert run("209", Header=rows) == {"Header": [0, 1]}
    assert run("209", Header=rows, collection_start="01/04/2021") == {"Header": [1]}
    assert run("209", year="2023/24", Header=rows) == {"Header": [0, 1, 2]}


# ---- 231, 232 (2024/25) ----

def test_231_uasc_child_under_11_at_year_end():
    header = [{"CHILD": "1", "DOB": "01/04/2014"}, {"CHILD": "2", "DOB": "31/03/2014"},
              {"CHILD": "3", "DOB": "01/04/2014"}, {"CHILD": "4", "DOB": ""}]
    uasc = [{"CHILD": "1"}, {"CHILD": "2"}, {"CHILD": "4"}]
    assert run("231", year="2024/25", Header=header, UASC=uasc) == {"Header": [0]}


def test_231_skipped_when_uasc_status_unknown():
    assert run("231", year="2024/25", Header=[{"CHILD": "1", "DOB": "01/04/2020"}], expect="skipped") == {}


def test_231_and_232_not_in_force_before_2024():
    import pytest
    with pytest.raises(Exception, match="not in force"):
        run("232", Header=[{"CHILD": "1", "SEX": "U"}])


def test_232_sex_unknown():
    rows = [{"CHILD": "1", "SEX": "U"}, {"CHILD": "2", "SEX": "u"}, {"CHILD": "3", "SEX": "M"},
            {"CHILD": "4", "SEX": "F"}, {"CHILD": "5", "SEX": ""}]
    assert run("232", year="2024/25", Header=rows) == {"Header": [0, 1]}


# ---- 301, 351: DOB against the collection year ----

def test_301_dob_after_year_end():
    rows = [{"CHILD": "1", "DOB": "01/04/2023"}, {"CHILD": "2", "DOB": "04/06/2024"},
            {"CHILD": "3", "DOB": "31/03/2023"}, {"CHILD": "4", "DOB": ""}]
    assert run("301", Header=rows) == {"Header": [0, 1]}


def test_351_over_25_at_year_start():
    rows = [{"CHILD": "1", "DOB": "31/03/1997"}, {"CHILD": "2", "DOB": "03/10/1990"},
            {"CHILD": "3", "DOB": "01/04/1997"}, {"CHILD": "4", "DOB": ""}]
    assert run("351", Header=rows) == {"Header": [0, 1]}
    assert run("351", Header=rows, collection_start="01/04/2021") == {"Header": [1]}


# ---- 444 (2025/26): duplicate UPN ----

def test_444_duplicate_upns():
    rows = [{"CHILD": "1", "UPN": "A123456789012"}, {"CHILD": "2", "UPN": "A123456789012"},
            {"CHILD": "3", "UPN": "UN1"}, {"CHILD": "4", "UPN": "UN1"}, {"CHILD": "5", "UPN": ""},
            {"CHILD": "6", "UPN": ""}, {"CHILD": "7", "UPN": "B123456789012"},
            {"CHILD": "8", "UPN": "a123456789012"}, {"CHILD": "9", "UPN": "B123456789012 "}]
    assert run("444", year="2025/26", Header=rows) == {"Header": [0, 1, 7]}


def test_101_old_gender_codes_still_apply_in_2023_24():
    rows = [{"CHILD": "1", "SEX": "F"}, {"CHILD": "2", "SEX": "M"}, {"CHILD": "3", "SEX": "1"}, {"CHILD": "4", "SEX": "2"}]
    assert run("101", Header=rows) == {"Header": [0, 1]}
    assert run("101", year="2023/24", Header=rows) == {"Header": [0, 1]}
    assert run("101", year="2026/27", Header=rows) == {"Header": [2, 3]}


def test_202_208_blank_child_rows_of_the_two_years_are_not_paired():
    now, last = [{"CHILD": "", "SEX": "1", "UPN": "UN3"}], [{"CHILD": "", "SEX": "2", "UPN": "UN4"}]
    assert run("202", Header=now, last={"Header": last}) == {}
    assert run("208", Header=now, last={"Header": last}) == {}
    now[0]["CHILD"], last[0]["CHILD"] = "1", "1"
    assert run("202", Header=now, last={"Header": last}) == {"Header": [0]}
    assert run("208", Header=now, last={"Header": last}) == {"Header": [0]}
