from rulecheck import run


def test_166_review_date_blank_or_invalid():
    rows = [{"CHILD": "1", "REVIEW": ""}, {"CHILD": "2", "REVIEW": "31/09/2022"}, {"CHILD": "3", "REVIEW": "30/09/2022"},
            {"CHILD": "4", "REVIEW": "30/09/22"}, {"CHILD": "5", "REVIEW": "1/9/2022"}]
    assert run("166", Reviews=rows) == {"Reviews": [0, 1, 3]}


def test_166_skipped_without_reviews():
    assert run("166", Header=[{"CHILD": "1"}], expect="skipped") == {}


def test_167_participation_code():
    rows = [{"CHILD": "1", "REVIEW": "01/02/2023", "REVIEW_CODE": "pn0"},   # upper-cased on loading: passes
            {"CHILD": "2", "REVIEW": "05/07/2022", "REVIEW_CODE": ""},
            {"CHILD": "3", "REVIEW": "", "REVIEW_CODE": "PN1"},
            {"CHILD": "4", "REVIEW": "12/12/2022", "REVIEW_CODE": "PN3"},
            {"CHILD": "5", "REVIEW": "", "REVIEW_CODE": ""},
            {"CHILD": "6", "REVIEW": "12/12/2022", "REVIEW_CODE": "PN8"},
            {"CHILD": "7", "REVIEW": "not a date", "REVIEW_CODE": "PN7"},
            {"CHILD": "8", "REVIEW": "12/12/2022", "REVIEW_CODE": "PN3 "}]
    assert run("167", Reviews=rows) == {"Reviews": [1, 2, 5, 7]}


def test_440_pn0_after_4th_birthday():
    rows = [{"CHILD": "1", "REVIEW_CODE": "PN0", "DOB": "01/01/2018", "REVIEW": "01/01/2023"},
            {"CHILD": "2", "REVIEW_CODE": "PN0", "DOB": "01/01/2020", "REVIEW": "01/01/2023"},
            # on the 4th birthday itself: passes (spec example); the day after is flagged
            {"CHILD": "3", "REVIEW_CODE": "PN0", "DOB": "01/01/2019", "REVIEW": "01/01/2023"},
            {"CHILD": "7", "REVIEW_CODE": "PN0", "DOB": "01/01/2019", "REVIEW": "02/01/2023"},
            {"CHILD": "4", "REVIEW_CODE": "PN0", "DOB": "", "REVIEW": "01/01/2023"},
            {"CHILD": "5", "REVIEW_CODE": "PN0", "DOB": "01/01/2010", "REVIEW": "xx"},
            {"CHILD": "6", "REVIEW_CODE": "PN1", "DOB": "01/01/2010", "REVIEW": "01/01/2023"}]
    assert run("440", Reviews=rows) == {"Reviews": [0, 3]}


def test_441_pn1_to_pn7_before_4th_birthday():
    rows = [{"CHILD": "1", "REVIEW_CODE": "PN4", "DOB": "01/01/2020", "REVIEW": "01/01/2023"},
            {"CHILD": "2", "REVIEW_CODE": "PN1", "DOB": "01/01/2019", "REVIEW": "01/01/2023"},
            {"CHILD": "3", "REVIEW_CODE": "PN0", "DOB": "01/01/2021", "REVIEW": "01/01/2023"},
            {"CHILD": "4", "REVIEW_CODE": "PN7", "DOB": "02/01/2019", "REVIEW": "01/01/2023"},
            {"CHILD": "5", "REVIEW_CODE": "PN7", "DOB": "", "REVIEW": "01/01/2023"}]
    assert run("441", Reviews=rows) == {"Reviews": [0, 3]}
