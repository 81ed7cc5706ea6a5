import pandas as pd

from rulecheck import run

RICHMOND, WESTMINSTER = "E09000027", "E09000033"
IN_RICHMOND, IN_WESTMINSTER, IN_MANCHESTER, IN_WALES = "TW9 1DN", "SW1A 1AA", "M1 1AE", "CF10 1EP"


def ep(child="1", **kw):
    return {"CHILD": child, **kw}


def providers(*rows):
    """rows: (URN, PLACE_CODES, PROVIDER_CODES, REG_END, POSTCODE)."""
    return pd.DataFrame(rows, columns=["URN", "PLACE_CODES", "PROVIDER_CODES", "REG_END", "POSTCODE"])


LISTS = providers(("SC000001", "K2,R1", "PR1,PR3,PR4", "", IN_RICHMOND),
                  ("SC000002", "PR2,K3", "PR2", "25/12/2022", IN_WESTMINSTER),
                  ("SC000003", "", "", "21/02/2022", ""),
                  ("1234567", "K1", "PR1", "", "S25 1WO"))


# 178: placement provider code
def test_178_2022_codes_and_no_provider_placements():
    rows = [ep(PLACE_PROVIDER="PR6"), ep(PLACE_PROVIDER="pr4", PLACE="U1"), ep(PLACE_PROVIDER="PR1", PLACE="T0"),
            ep(PLACE_PROVIDER="PR0", PLACE="U1"), ep(PLACE_PROVIDER="", PLACE="Z1"), ep(PLACE_PROVIDER="PR1", PLACE="Z1"),
            ep(PLACE_PROVIDER="PR2", PLACE=""), ep(PLACE_PROVIDER="PR1", PLACE="T4"), ep(PLACE_PROVIDER="PR1 ")]
    assert run("178", Episodes=rows) == {"Episodes": [0, 2, 5, 7, 8]}


def test_178_2025_z_codes_and_t4():
    rows = [ep(PLACE_PROVIDER="PR9", PLACE="U1"), ep(PLACE_PROVIDER="PR5", PLACE="Z14"), ep(PLACE_PROVIDER="PR1", PLACE="T0"),
            ep(PLACE_PROVIDER="PR0", PLACE="U1"), ep(PLACE_PROVIDER="", PLACE="Z11"), ep(PLACE_PROVIDER="PR1", PLACE="T4")]
    assert run("178", year="2025/26", Episodes=rows) == {"Episodes": [0, 1, 2]}


# 1008: URN known
def test_1008_urn_must_be_in_the_lists():
    rows = [ep(URN="7654321"), ep(URN="XXXXXXX"), ep(URN=""), ep(URN="SC000001"), ep(URN="sc000001"),
            ep(URN="SC000001 ")]
    assert run("1008", Episodes=rows, provider_info=LISTS) == {"Episodes": [0, 5]}


def test_1008_a_urn_of_spaces_is_filled_in():
    """Only an empty cell is blank: a URN of spaces is filled in, not in the lists, so flagged
    (the spec's examples: blank and 'XXXXXXX' pass)."""
    rows = [ep(URN="  "), ep(URN=""), ep(URN="XXXXXXX"), ep(URN="SC000001")]
    assert run("1008", Episodes=rows, provider_info=LISTS) == {"Episodes": [0]}


def test_1008_numeric_urn_from_spreadsheet_matches():
    lists = pd.DataFrame({"URN": [1234567.0], "POSTCODE": ["TW9 1DN"]})
    assert run("1008", Episodes=[ep(URN="1234567")], provider_info=lists) == {}


def test_provider_rules_skipped_without_lists():
    for code in ("1008", "219", "221", "224", "227", "228", "229"):
        run(code, Episodes=[ep(URN="SC000001")], local_authority=RICHMOND, expect="skipped")


# 219: placement type
def test_219_place_must_be_one_of_the_providers_types():
    rows = [ep(URN="SC000002", PLACE="K2"),        # flagged
            ep(URN="SC000001", PLACE="K2"),
            ep(URN="SC000001", PLACE=""),          # flagged: blank PLACE
            ep(URN="XXXXXXX", PLACE="K2"), ep(URN="", PLACE="K2"),
            ep(URN="SC999999", PLACE="K2"),        # flagged: URN not in the lists
            ep(URN="SC000003", PLACE="K2"),        # flagged: provider lists no types
            ep(URN="SC000002", PLACE="K3")]
    assert run("219", Episodes=rows, provider_info=LISTS) == {"Episodes": [0, 2, 5, 6]}


def test_219_a_repeated_urn_flags_when_any_entry_lacks_the_place():
    """The logic: 'if the URN has several entries, a failure against any of them flags'."""
    lists = providers(("SC1", "K2", "PR1", "", ""), ("SC1", "R1", "PR1", "", ""),
                      ("SC2", "K2,R1", "PR1", "", ""), ("SC2", "K2,R1", "PR1", "31/01/2023", ""),
                      ("SC3", "K2", "PR1", "", ""), ("SC3", "", "PR1", "", ""))
    rows = [ep(URN="SC1", PLACE="R1"), ep(URN="SC1", PLACE="K2"), ep(URN="SC1", PLACE="K1"),
            ep(URN="SC2", PLACE="R1"), ep(URN="SC2", PLACE="K2"),   # both entries list the type
            ep(URN="SC3", PLACE="K2")]                              # one entry lists no types
    assert run("219", Episodes=rows, provider_info=lists) == {"Episodes": [0, 1, 2, 5]}


def test_219_codes_split_on_commas_without_trimming():
    lists = providers(("SC1", "K2, R1", "PR1", "", ""))
    rows = [ep(URN="SC1", PLACE="K2"), ep(URN="SC1", PLACE="R1")]
    assert run("219", Episodes=rows, provider_info=lists) == {"Episodes": [1]}


def test_219_urns_match_as_exact_text_numbers_read_as_their_digits():
    """The logic matches URNs as exact text: a number from the list reads as its digits, but the
    list's URNs are neither upper-cased nor trimmed (the return's values are upper-cased on load)."""
    lists = pd.DataFrame({"URN": [1234567.0, "sc000009", "SC000010 "], "PLACE_CODES": ["K1", "K2", "K2"]})
    rows = [ep(URN="1234567", PLACE="K1"), ep(URN="SC000009", PLACE="K2"), ep(URN="sc000009", PLACE="K2"),
            ep(URN="1234567", PLACE="K2"), ep(URN="SC000010", PLACE="K2"), ep(URN="SC000010 ", PLACE="K2")]
    assert run("219", Episodes=rows, provider_info=lists) == {"Episodes": [1, 2, 3, 4]}


# 221: placement postcode
def test_221_2022_postcode_must_match_provider():
    lists = providers(("SC1", "K1", "PR1", "", "S25 1WO"), ("SC2", "K1", "PR1", "", "V29XX"), ("SC3", "K1", "PR1", "", ""))
    rows = [ep(URN="SC2", PLACE="K1", LS="C2", PL_POST="S25 1WO"),   # flagged
            ep(URN="SC1", PLACE="R3", LS="C2", PL_POST="s25 1wo"),
            ep(URN="SC2", PLACE="U1", LS="C2", PL_POST="S25 1WO"),
            ep(URN="SC2", PLACE="K1", LS="V3", PL_POST="S25 1WO"),
            ep(URN="SC9", PLACE="S1", LS="C2", PL_POST="S25 1WO"),   # flagged: URN not in the lists
            ep(URN="SC3", PLACE="S1", LS="C2", PL_POST="S25 1WO"),   # flagged: provider without postcode
            ep(URN="SC2", PLACE="K2", LS="", PL_POST="S251 WO"),     # flagged (blank LS is checked)
            ep(URN="SC2", PLACE="K2", LS="C2", PL_POST=""),
            ep(URN="SC1", PLACE="H5", LS="C2", PL_POST="AB1 2CD"),   # H5 not checked in 2022/23
            ep(URN="SC1", PLACE="K3", LS="C2", PL_POST="AB1 2CD")]
    assert run("221", Episodes=rows, provider_info=lists) == {"Episodes": [0, 4, 5, 6]}


def test_221_2023_adds_h5():
    lists = providers(("SC123456", "H5", "PR1", "", "AB12CD"))
    rows = [ep(URN="SC123456", PLACE="H5", LS="C2", PL_POST="AB1 2CE"), ep(URN="SC123456", PLACE="K1", LS="C2", PL_POST="AB1 2CE"),
            ep(URN="SC123456", PLACE="R3", LS="C2", PL_POST="AB1 2CD"), ep(URN="SC123456", PLACE="K3", LS="C2", PL_POST="AB1 2CE")]
    assert run("221", year="2023/24", Episodes=rows, provider_info=lists) == {"Episodes": [0, 1]}


def test_221_a_repeated_urn_flags_a_mismatch_with_any_entry():
    """Several settings of one supported-accommodation URN: a placement matches at most one."""
    lists = providers(("SC1", "K3", "PR4", "", "SM2 5AA"), ("SC1", "K3", "PR4", "", "SW19 1AA"),
                      ("SC2", "K1", "PR1", "", "AB1 2CD"), ("SC2", "K1", "PR1", "01/01/2020", "AB12CD"))
    rows = [ep(URN="SC1", PLACE="K3", LS="C2", PL_POST="SM2 5AA"), ep(URN="SC1", PLACE="K3", LS="C2", PL_POST="SW19 1AA"),
            ep(URN="SC2", PLACE="K1", LS="C2", PL_POST="ab1 2cd"),     # the same postcode in both entries
            ep(URN="SC2", PLACE="K1", LS="C2", PL_POST="AB1 2CE")]
    assert run("221", year="2024/25", Episodes=rows, provider_info=lists) == {"Episodes": [0, 1, 3]}


def test_221_2024_k3_replaces_h5():
    lists = providers(("SC123456", "K3", "PR1", "", "AB12CD"))
    rows = [ep(URN="SC123456", PLACE="K3", LS="C2", PL_POST="AB1 2CE"), ep(URN="SC123456", PLACE="H5", LS="C2", PL_POST="AB1 2CE"),
            ep(URN="SC123456", PLACE="K1", LS="C2", PL_POST="AB1 2CD")]
    assert run("221", year="2024/25", Episodes=rows, provider_info=lists) == {"Episodes": [0]}


# 224: placement provider
def test_224_provider_code_must_be_one_of_the_providers():
    rows = [ep(URN="SC000001", PLACE_PROVIDER="PR2"), ep(URN="SC000001", PLACE_PROVIDER="PR4"),
            ep(URN="XXXXXXX", PLACE_PROVIDER="PR2"), ep(URN="SC000001", PLACE_PROVIDER=""),
            ep(URN="SC999999", PLACE_PROVIDER="PR2"), ep(URN="SC000003", PLACE_PROVIDER="PR2")]
    # flagged: a code the provider lacks, a blank code, a URN not in the lists, a provider listing no codes
    assert run("224", Episodes=rows, provider_info=LISTS) == {"Episodes": [0, 3, 4, 5]}


def test_224_a_repeated_urn_flags_when_any_entry_lacks_the_code():
    lists = providers(("SC1", "K2", "PR1", "", ""), ("SC1", "K2", "PR1,PR4", "", ""))
    rows = [ep(URN="SC1", PLACE_PROVIDER="PR1"), ep(URN="SC1", PLACE_PROVIDER="PR4")]
    assert run("224", Episodes=rows, provider_info=lists) == {"Episodes": [1]}


def test_224_slash_separated_codes():
    lists = providers(("SC1", "K2", "PR1/PR3", "", ""))
    rows = [ep(URN="SC1", PLACE_PROVIDER="PR3"), ep(URN="SC1", PLACE_PROVIDER="PR2")]
    assert run("224", Episodes=rows, provider_info=lists) == {"Episodes": [1]}


# 227 / 228: registration dates
def test_227_episode_starts_on_or_after_deregistration():
    lists = providers(("SC1", "K2", "PR1", "25/12/2022", ""), ("SC2", "K2", "PR1", "21/02/2022", ""),
                      ("SC3", "K2", "PR1", "", ""))
    rows = [ep(URN="SC1", DECOM="25/12/2022"), ep(URN="SC2", DECOM="01/02/2023"), ep(URN="SC1", DECOM="24/12/2022"),
            ep(URN="SC3", DECOM="01/02/2023"), ep(URN="SC9", DECOM="01/02/2023"), ep(URN="SC1", DECOM=""),
            ep(URN="SC1", DECOM="32/12/2022")]
    assert run("227", Episodes=rows, provider_info=lists) == {"Episodes": [0, 1]}


def test_227_any_entry_with_an_end_date_can_flag():
    """A URN on the current list (no end date) and on the closed list: the closed entry flags."""
    lists = providers(("SC1", "K2", "PR1", "25/12/2022", ""), ("SC1", "K2", "PR1", "", ""),
                      ("SC2", "K2", "PR1", "-", ""), ("SC2", "K2", "PR1", "", ""),
                      ("SC3", "K2", "PR1", "01/03/2023", ""), ("SC3", "K2", "PR1", "01/01/2023", ""))
    rows = [ep(URN="SC1", DECOM="01/01/2023"), ep(URN="SC1", DECOM="24/12/2022"), ep(URN="SC2", DECOM="01/01/2023"),
            ep(URN="SC3", DECOM="01/02/2023")]                       # after the earlier of two end dates
    assert run("227", Episodes=rows, provider_info=lists) == {"Episodes": [0, 3]}


def test_228_episode_ends_after_deregistration():
    lists = providers(("SC1", "K2", "PR1", "21/02/2022", ""), ("SC2", "K2", "PR1", "01/02/2023", ""),
                      ("SC3", "K2", "PR1", "25/12/2022", ""), ("SC4", "K2", "PR1", "31/03/2023", ""),
                      ("SC5", "K2", "PR1", "", ""))
    rows = [ep(URN="SC1", DEC="25/12/2022"), ep(URN="SC2", DEC=""), ep(URN="SC3", DEC="25/12/2022"),
            ep(URN="SC4", DEC=""), ep(URN="SC5", DEC=""), ep(URN="SC2", DEC="31/31/2022"), ep(URN="XXXXXXX", DEC="")]
    assert run("228", Episodes=rows, provider_info=lists) == {"Episodes": [0, 1, 5]}


def test_228_any_entry_with_an_end_date_can_flag():
    lists = providers(("SC1", "K2", "PR1", "", ""), ("SC1", "K2", "PR1", "21/02/2022", ""),
                      ("SC2", "K2", "PR1", "-", ""), ("SC2", "K2", "PR1", "", ""))
    rows = [ep(URN="SC1", DEC="25/12/2022"), ep(URN="SC1", DEC="21/02/2022"), ep(URN="SC2", DEC="")]
    assert run("228", Episodes=rows, provider_info=lists) == {"Episodes": [0]}


# 229: provider's authority vs PR1/PR2
LA_LISTS = providers(("SC1", "K2", "PR1", "", IN_RICHMOND), ("SC2", "K2", "PR2", "", IN_WESTMINSTER),
                     ("SC3", "K2", "PR2", "", ""), ("SC4", "K2", "PR1", "", IN_WESTMINSTER),
                     ("SC4", "K2", "PR1", "", IN_RICHMOND))


def test_229_pr1_in_own_la_pr2_elsewhere():
    rows = [ep(URN="SC2", PLACE="K2", PLACE_PROVIDER="PR1"),     # flagged: provider in Westminster
            ep(URN="SC1", PLACE="K2", PLACE_PROVIDER="PR2"),     # flagged: provider in Richmond
            ep(URN="SC1", PLACE="K2", PLACE_PROVIDER="PR1"),
            ep(URN="SC2", PLACE="K2", PLACE_PROVIDER="PR2"),
            ep(URN="SC9", PLACE="K2", PLACE_PROVIDER="PR1"),     # flagged: unknown URN counts as elsewhere
            ep(URN="SC3", PLACE="K2", PLACE_PROVIDER="PR1"),     # flagged: provider without postcode
            ep(URN="SC4", PLACE="K2", PLACE_PROVIDER="PR1"),     # premises in both: the Westminster one flags PR1
            ep(URN="SC4", PLACE="K2", PLACE_PROVIDER="PR2"),     # and the Richmond one flags PR2
            ep(URN="XXXXXXX", PLACE="K2", PLACE_PROVIDER="PR1"),
            ep(URN="SC2", PLACE="K3", PLACE_PROVIDER="PR1"),     # K3 checked before 2025/26
            ep(URN="SC2", PLACE="K2", PLACE_PROVIDER="PR3")]
    assert run("229", Episodes=rows, provider_info=LA_LISTS, local_authority=RICHMOND) == {"Episodes": [0, 1, 4, 5, 6, 7, 9]}


def test_229_each_entry_of_a_repeated_urn_is_located_on_its_own():
    """An entry without a postcode has no inferred authority: 'not equal' for PR1."""
    lists = providers(("SC1", "K2", "PR1", "", IN_RICHMOND), ("SC1", "K2", "PR1", "", ""),
                      ("SC2", "K2", "PR1", "", IN_RICHMOND), ("SC2", "K2", "PR1", "", "tw91dn"))
    rows = [ep(URN="SC1", PLACE="K2", PLACE_PROVIDER="PR1"), ep(URN="SC1", PLACE="K2", PLACE_PROVIDER="PR2"),
            ep(URN="SC2", PLACE="K2", PLACE_PROVIDER="PR1")]
    assert run("229", Episodes=rows, provider_info=lists, local_authority=RICHMOND) == {"Episodes": [0, 1]}


def test_229_pr2_with_unknown_urn_passes():
    rows = [ep(URN="SC9", PLACE="K2", PLACE_PROVIDER="PR2"), ep(URN="SC3", PLACE="K2", PLACE_PROVIDER="PR2")]
    assert run("229", Episodes=rows, provider_info=LA_LISTS, local_authority=RICHMOND) == {}


def test_229_2025_excludes_placement_types():
    rows = [ep(URN="SC2", PLACE="K3", PLACE_PROVIDER="PR1"), ep(URN="SC2", PLACE="K2", PLACE_PROVIDER="PR1"),
            ep(URN="SC1", PLACE="K2", PLACE_PROVIDER="PR2"), ep(URN="SC2", PLACE="R1", PLACE_PROVIDER="PR1"),
            ep(URN="SC2", PLACE="", PLACE_PROVIDER="PR1")]
    assert run("229", year="2025/26", Episodes=rows, provider_info=LA_LISTS,
               local_authority=RICHMOND) == {"Episodes": [1, 2, 4]}


def test_229_skipped_without_local_authority():
    run("229", Episodes=[ep(URN="SC2", PLACE_PROVIDER="PR1")], provider_info=LA_LISTS, expect="skipped")


# 241: K3 placed where the provider has premises
def test_241_k3_placement_in_an_authority_of_the_provider():
    lists = providers(("SC1", "K3", "PR4", "", IN_RICHMOND), ("SC1", "K3", "PR4", "", IN_MANCHESTER),
                      ("SC2", "K3", "PR4", "", ""))
    rows = [ep(URN="SC1", PLACE="K3", PL_POST=IN_WESTMINSTER),   # flagged
            ep(URN="SC1", PLACE="K3", PL_POST=""),               # flagged: placement authority unknown
            ep(URN="SC1", PLACE="K3", PL_POST=IN_MANCHESTER),    # second premises
            ep(URN="SC1", PLACE="K3", PL_POST=IN_RICHMOND),
            ep(URN="XXXXXXX", PLACE="K3", PL_POST=IN_WESTMINSTER),
            ep(URN="SC1", PLACE="U1", PL_POST=IN_WESTMINSTER),
            ep(URN="SC9", PLACE="K3", PL_POST=IN_WESTMINSTER),   # unknown URN: 1008
            ep(URN="SC2", PLACE="K3", PL_POST=IN_WESTMINSTER)]   # provider without postcode
    # the known implementation compares with the return's authority and would also flag row 2
    assert run("241", year="2025/26", Episodes=rows, provider_info=lists,
               local_authority=RICHMOND) == {"Episodes": [0, 1]}


def test_241_skipped_without_lists():
    run("241", year="2025/26", Episodes=[ep(URN="SC1", PLACE="K3")], expect="skipped")
