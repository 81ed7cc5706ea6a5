"""The Ofsted provider lists in each layout councils download, read as one entry per listed row."""
from datetime import datetime

import pandas as pd
import pytest

from books import write_book as book
from xl_validator.prepare.providers import read_providers
from xl_validator.read import InputError


def by_urn(df):
    assert df["URN"].is_unique, "these lists name each URN once"
    return df.set_index("URN")


def test_older_layout_children_homes_and_social_care_providers(tmp_path):
    ch = book(tmp_path / "ch.xlsx", {"Provider information": [
        ["Local Authority", "URN", "Provider Type", "Closed Date", "Provider Code", "Provider Placement Code",
         "Setting Address Postcode"],
        ["Richmond upon Thames", "SC100001", "Children's home", "-", "K2", "PR4", "tw9 1dn"],
        ["Richmond upon Thames", 1234567, "Children's home", datetime(2025, 6, 30), "K2,R1", "PR4/PR5", "TW1 3BB"],
    ]})
    scp = book(tmp_path / "scp.xlsx", {
        "Current providers": [["URN", "Local authority", "Placement code", "Placement provider code",
                               "Setting postcode"],
                              ["SC200002", "Kingston upon Thames", "U4", "PR4", "KT1 4HQ"]],
        "Providers closed in 2022-23": [["URN", "Local authority", "Placement code", "Placement provider code",
                                         "Setting postcode", "Deregistration date"],
                                        ["SC300003", "Sutton", "K2", "PR5", "SM1 1EA", "01/02/2023"]],
    })
    p = by_urn(read_providers([ch, scp]))
    assert set(p.index) == {"SC100001", "1234567", "SC200002", "SC300003"}
    assert p.loc["SC100001", "PLACE_CODES"] == {"K2"} and pd.isna(p.loc["SC100001", "REG_END"])
    assert p.loc["1234567", "PROVIDER_CODES"] == {"PR4", "PR5"}
    assert p.loc["1234567", "REG_END"] == pd.Timestamp("2025-06-30")
    assert p.loc["SC100001", "POSTCODE"] == "TW91DN"
    assert pd.isna(p.loc["SC200002", "REG_END"]) and p.loc["SC300003", "REG_END"] == pd.Timestamp("2023-02-01")


def test_children_homes_list_split_over_settings_and_address_sheets(tmp_path):
    ch = book(tmp_path / "ch.xlsx", {
        "Settings and Inspection Info": [["URN", "Local Authority", "Provider Code", "Provider Placement Code",
                                          "Closed Date"],
                                         ["SC100001", "Sutton", "K2", "PR5", "31/12/2024"]],
        "Address Details": [["URN", "Setting Postcode"], ["SC100001", "SM1 1EA"]],
    })
    p = by_urn(read_providers(ch))  # one entry: the address sheet only gives its postcode
    assert p.loc["SC100001", "POSTCODE"] == "SM11EA" and p.loc["SC100001", "PLACE_CODES"] == {"K2"}
    assert p.loc["SC100001", "REG_END"] == pd.Timestamp("2024-12-31")


def test_sheets_of_urns_without_registration_details_are_not_entries(tmp_path):
    """A children's homes workbook's Registration Conditions sheet names URNs and authorities only."""
    ch = book(tmp_path / "ch.xlsx", {
        "Provider information": [["URN", "Local Authority", "Provider Code", "Provider Placement Code", "Closed Date",
                                  "Setting Postcode"], ["SC100001", "Sutton", "K2", "PR5", "", "SM1 1EA"]],
        "Registration Conditions": [["Local Authority", "URN", "Setting Name", "Conditions"],
                                    ["Sutton", "SC100001", "Oak House", "None"]],
    })
    p = read_providers(ch)
    assert p["URN"].tolist() == ["SC100001"] and p["PLACE_CODES"].tolist() == [{"K2"}]


def test_2025_layout_providers_and_supported_accommodation(tmp_path):
    combined = book(tmp_path / "providers.xlsx", {
        "Providers": [["URN", "Provider type", "Local authority", "Placement code", "Placement provider code",
                       "Deregistration date", "Provider postcode"],
                      ["SC100001", "Children's Home", "Sutton", "K2", "PR4", "", "SM1 1EA"]],
        "SA Providers": [["URN", "Provider local authority", "Closed date", "Setting address postcode"],
                         ["2000001", "Sutton", "", "SM2 5AA"],
                         ["2000001", "Merton", "", "SW19 1AA"]],
    })
    p = read_providers(combined)
    assert p["URN"].tolist() == ["SC100001", "2000001", "2000001"]  # several settings, one URN: two entries
    assert p.loc[0, "POSTCODE"] == "SM11EA"  # the postcode the older reader ignored
    assert p.loc[1, "PLACE_CODES"] == {"K3"} and p.loc[2, "PROVIDER_CODES"] == {"PR4"}
    assert p["POSTCODE"].tolist()[1:] == ["SM25AA", "SW191AA"]


def test_a_urn_in_both_lists_and_twice_in_one_list_is_one_entry_per_row(tmp_path):
    ch = book(tmp_path / "ch.xlsx", {"Provider information": [
        ["URN", "Provider Code", "Provider Placement Code", "Closed Date", "Setting Postcode"],
        ["SC100001", "K2", "PR4", "-", "SM1 1EA"],
        ["SC100001", "K2", "PR4", datetime(2023, 1, 31), "SM1 1EB"],
    ]})
    scp = book(tmp_path / "scp.xlsx", {"Current providers": [
        ["URN", "Placement code", "Placement provider code", "Setting postcode"],
        ["SC100001", "K2,R1", "PR4/PR5", "SM1 1EA"],
    ]})
    p = read_providers([ch, scp])
    assert p["URN"].tolist() == ["SC100001"] * 3
    assert p["REG_END"].isna().tolist() == [True, False, True]
    assert p["PLACE_CODES"].tolist() == [{"K2"}, {"K2"}, {"K2", "R1"}]
    assert p["PROVIDER_CODES"].tolist() == [{"PR4"}, {"PR4"}, {"PR4", "PR5"}]
    assert p["POSTCODE"].tolist() == ["SM11EA", "SM11EB", "SM11EA"]


def test_a_urn_listed_twice_is_checked_against_each_entry(tmp_path):
    """Through validate: the closed entry flags 227/228, the second postcode 221 and the narrower
    codes 219, as the rules' logic reads a repeated URN."""
    import xl_validator as xv
    ch = book(tmp_path / "ch.xlsx", {"Provider information": [
        ["URN", "Provider Code", "Provider Placement Code", "Closed Date", "Setting Postcode"],
        [1234567, "K2", "PR4", None, "SM1 1EA"],
    ]})
    scp = book(tmp_path / "scp.xlsx", {
        "Current providers": [["URN", "Placement code", "Placement provider code", "Setting postcode"],
                              ["1234567", "K2,R1", "PR4", "SM1 1EA"]],
        "Providers closed in 2022-23": [["URN", "Placement code", "Placement provider code", "Setting postcode",
                                         "Deregistration date"], [1234567.0, "K2", "PR4", "SM1 1EB", "01/02/2023"]],
    })
    eps = pd.DataFrame([{"CHILD": "1", "DECOM": "01/05/2022", "DEC": "", "RNE": "S", "LS": "C2", "CIN": "N1",
                         "PLACE": "K2", "PLACE_PROVIDER": "PR4", "URN": "1234567", "PL_POST": "SM1 1EA"},
                        {"CHILD": "2", "DECOM": "01/05/2022", "DEC": "01/06/2022", "RNE": "S", "LS": "C2",
                         "CIN": "N1", "PLACE": "R1", "PLACE_PROVIDER": "PR4", "URN": "1234567", "PL_POST": ""}])
    report = xv.validate({"Episodes": eps}, year="2022/23", provider_info=[ch, scp],
                         rules=["1008", "219", "221", "224", "227", "228"])
    found = set(zip(report.findings["code"], report.findings["row"]))
    assert found == {("221", 0), ("228", 0), ("219", 1)}


def test_a_workbook_without_urns_is_refused(tmp_path):
    with pytest.raises(InputError, match="no sheet with a URN column"):
        read_providers(book(tmp_path / "x.xlsx", {"Sheet": [["Name"], ["x"]]}))


def test_provider_rules_run_with_the_demo_lists_and_are_skipped_without(tmp_path):
    import xl_validator as xv
    from xl_validator.sample import generate, sample_providers

    this, last = generate(60, "2025/26", seed=3, error_rate=0)
    with_lists = xv.validate(this, year="2025/26", provider_info=sample_providers(), local_authority="E09000027")
    without = xv.validate(this, year="2025/26", local_authority="E09000027")
    provider_rules = {"1008", "219", "221", "224", "227", "228", "229", "241"}
    assert provider_rules <= set(with_lists.ran)
    assert all(without.skipped[c] == "skipped: Ofsted provider lists not supplied" for c in provider_rules)


LAYOUTS = {
    "older": ("Provider information", ["URN", "Provider Code", "Provider Placement Code", "Closed Date",
                                       "Setting Address Postcode"]),
    "split": ("Settings and Inspection Info", ["URN", "Provider Code", "Provider Placement Code", "Closed Date",
                                               "Setting Postcode"]),
    "current and closed": ("Providers closed in 2022-23", ["URN", "Placement code", "Placement provider code",
                                                          "Deregistration date", "Setting postcode"]),
    "2025": ("Providers", ["URN", "Placement code", "Placement provider code", "Deregistration date",
                           "Provider postcode"]),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_closure_column_with_blanks_dates_and_dashes_in_every_layout(tmp_path, layout):
    """Real downloads mix open providers (blank or '-') with closed ones (a date cell or text);
    URNs may be Excel numbers (read as their digits) or text, kept as typed."""
    sheet, heading = LAYOUTS[layout]
    rows = [heading,
            ["sc100001", "K2", "PR4", None, "SM1 1EA"],
            [1234567, "K2", "PR5", datetime(2025, 6, 30), "SM1 1EB"],
            [1234568.0, "K2", "PR5", "-", "SM1 1EC"],
            ["SC100004", "K2", "PR5", "31/01/2024", "SM1 1ED"]]
    p = by_urn(read_providers(book(tmp_path / "list.xlsx", {sheet: rows})))
    assert set(p.index) == {"sc100001", "1234567", "1234568", "SC100004"}
    assert pd.isna(p.loc["sc100001", "REG_END"]) and pd.isna(p.loc["1234568", "REG_END"])
    assert p.loc["1234567", "REG_END"] == pd.Timestamp("2025-06-30")
    assert p.loc["SC100004", "REG_END"] == pd.Timestamp("2024-01-31")


def test_a_dataframe_whose_closure_column_pandas_made_datetime_with_gaps():
    """pandas reads a closure column of dates and blanks as datetime64 with NaT: it must not crash."""
    df = pd.DataFrame({"URN": ["SC1", "SC2", 3000003], "Provider Code": ["K2", "K2", "R1"],
                       "Provider Placement Code": ["PR4", "PR4", "PR5"],
                       "Closed Date": pd.to_datetime(["2024-05-01", None, None]),
                       "Setting Postcode": ["SM1 1EA", "SM1 1EB", "SM1 1EC"]})
    p = by_urn(read_providers(df))
    assert p.loc["SC1", "REG_END"] == pd.Timestamp("2024-05-01")
    assert pd.isna(p.loc["SC2", "REG_END"]) and pd.isna(p.loc["3000003", "REG_END"])


def test_validate_takes_a_provider_dataframe_with_mixed_closures():
    import xl_validator as xv
    eps = pd.DataFrame([{"CHILD": "1", "DECOM": "01/05/2022", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "K2",
                         "PLACE_PROVIDER": "PR4", "URN": "sc2", "PL_POST": "SM1 1EB", "HOME_POST": "SM1 1EA"}])
    df = pd.DataFrame({"URN": ["SC1", "SC2"], "Provider Code": ["K2", "K2"],
                       "Provider Placement Code": ["PR4", "PR4"],
                       "Closed Date": pd.to_datetime(["2020-05-01", None]), "Setting Postcode": ["SM1 1EA", "SM1 1EB"]})
    report = xv.validate({"Episodes": eps}, year="2022/23", provider_info=df, rules=["1008", "219"])
    assert not report.failed and "1008" in report.ran
    assert report.findings.empty


def test_entries_read_before_can_be_given_again():
    """xv.validate(provider_info=read_providers(...)): the prepared entries read as themselves."""
    df = pd.DataFrame({"URN": ["SC1", "SC1"], "Provider Code": ["K2,R1", "K2"], "Provider Placement Code": ["PR4", ""],
                       "Closed Date": ["", "01/02/2023"], "Setting Postcode": ["SM1 1EA", ""]})
    once = read_providers(df)
    again = read_providers(once)
    pd.testing.assert_frame_equal(once.drop(columns="SOURCE"), again.drop(columns="SOURCE"))
