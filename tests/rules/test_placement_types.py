import pytest

from rulecheck import run
from xl_validator.prepare.postcodes import PostcodeDirectory
from xl_validator.read.table import InputError

RICHMOND, WESTMINSTER = "E09000027", "E09000033"
IN_RICHMOND, IN_WESTMINSTER, IN_WALES, IN_SCOTLAND, IN_NI = "TW9 1DN", "SW1A 1AA", "CF10 1EP", "EH1 1YZ", "BT1 1AA"
UNKNOWN = "ZZ1 1ZZ"


def ep(child="1", **kw):
    return {"CHILD": child, **kw}


# 146: placement type per year
def test_146_2022_codes_and_case():
    rows = [ep(PLACE="K3"), ep(PLACE="u1"), ep(PLACE="U1"), ep(PLACE=""), ep(PLACE="Z11"), ep(PLACE="H5")]
    assert run("146", Episodes=rows) == {"Episodes": [0, 4]}


def test_146_2024_lists_k3_in_lower_case_so_k3_is_flagged():
    """The spec's examples: 'A2', 'R4' and 'K3' (upper case) flag; 'P1' and blank pass. A typed
    'k3' is upper-cased before rules run, so it is flagged too."""
    rows = [ep(PLACE="A2"), ep(PLACE="R4"), ep(PLACE="K3"), ep(PLACE="k3"), ep(PLACE="P1"), ep(PLACE=""),
            ep(PLACE="H5"), ep(PLACE="P2")]
    assert run("146", year="2024/25", Episodes=rows) == {"Episodes": [0, 1, 2, 3]}


def test_146_2025_drops_h5_p2_z1_adds_z11_to_z14():
    rows = [ep(PLACE="H5"), ep(PLACE="Z1"), ep(PLACE="P2"), ep(PLACE="Z12"), ep(PLACE="K3"), ep(PLACE=""),
            ep(PLACE="t3"), ep(PLACE="T3 ")]
    assert run("146", year="2025/26", Episodes=rows) == {"Episodes": [0, 1, 2, 7]}


# 164: distance
def fake_postcodes(rows):
    """A postcode directory holding just the given (postcode, east, north, district) rows."""
    return PostcodeDirectory.of(rows)


def test_164_flags_only_a_distance_out_of_range():
    pc = fake_postcodes([("AA1 1AA", 0, 0, RICHMOND), ("BB1 1BB", 1_700_000, 0, RICHMOND),
                         ("CC1 1CC", 10_000, 0, RICHMOND)])
    rows = [ep("1", HOME_POST="AA1 1AA", PL_POST="BB1 1BB"),       # 1056 miles: flagged
            ep("1", HOME_POST="AA1 1AA", PL_POST="CC1 1CC"),       # 6.2 miles
            ep("1", HOME_POST="AA1 1AA", PL_POST="ZZ9 9ZZ"),       # unknown postcode: no distance, passes
            ep("1", HOME_POST="", PL_POST="CC1 1CC"),              # blank home postcode: no distance
            ep("1", HOME_POST="AA1 1AA", PL_POST="BB1 1BB", LS="V3"),  # short breaks are not exempt
            ep("2", HOME_POST="AA1 1AA", PL_POST="BB1 1BB")]       # UASC child
    uasc = [{"CHILD": "2", "DUC": "01/01/2005"}, {"CHILD": "1"}]
    assert run("164", Episodes=rows, UASC=uasc, postcodes=pc) == {"Episodes": [0, 4]}


def test_164_last_years_uasc_is_exempt():
    pc = fake_postcodes([("AA1 1AA", 0, 0, RICHMOND), ("BB1 1BB", 1_700_000, 0, RICHMOND)])
    rows = [ep("1", HOME_POST=IN_RICHMOND, PL_POST=IN_WESTMINSTER), ep("2", HOME_POST="AA1 1AA", PL_POST="BB1 1BB"),
            ep("3", HOME_POST="AA1 1AA", PL_POST="BB1 1BB")]
    assert run("164", Episodes=rows, UASC=[], last={"UASC": [{"CHILD": "3", "SEX": "1"}]},
               postcodes=pc) == {"Episodes": [1]}


def test_164_runs_when_the_uasc_table_fills_nothing_besides_child():
    """The reference fails here (a listed departure); a UASC table naming no UASC child
    exempts nobody, so both children's out-of-range distances are flagged."""
    pc = fake_postcodes([("AA1 1AA", 0, 0, RICHMOND), ("BB1 1BB", 1_700_000, 0, RICHMOND)])
    rows = [ep("1", HOME_POST="AA1 1AA", PL_POST="BB1 1BB"), ep("2", HOME_POST="AA1 1AA", PL_POST="BB1 1BB")]
    assert run("164", Episodes=rows, UASC=[{"CHILD": "2"}], postcodes=pc) == {"Episodes": [0, 1]}


def test_164_skipped_without_any_uasc_information():
    run("164", Episodes=[ep(HOME_POST=IN_RICHMOND, PL_POST=UNKNOWN)], expect="skipped")


# 169 / 179: placement authority / location known
def test_169_flags_blank_or_unknown_placement_postcode_outside_short_breaks():
    rows = [ep(LS="C2", PL_POST=""), ep(LS="C2", PL_POST=UNKNOWN), ep(LS="C2", PL_POST=IN_RICHMOND),
            ep(LS="V3", PL_POST=""), ep(LS="", PL_POST=""), ep(LS="C2", PL_POST=IN_WALES)]
    assert run("169", Episodes=rows) == {"Episodes": [0, 1, 4]}


def test_179_flags_missing_location():
    rows = [ep(LS="C2", PL_POST=""), ep(LS="C2", PL_POST=UNKNOWN), ep(LS="C2", PL_POST=IN_RICHMOND),
            ep(LS="C2", PL_POST=IN_WESTMINSTER), ep(LS="V4", PL_POST="")]
    assert run("179", Episodes=rows, local_authority=RICHMOND) == {"Episodes": [0, 1]}


def test_179_skipped_without_local_authority():
    run("179", Episodes=[ep(LS="C2", PL_POST="")], expect="skipped")


# 213: provider for temporary placements
def test_213_2022_temporary_placements_take_no_provider():
    rows = [ep(PLACE="T2", PLACE_PROVIDER="PR2"), ep(PLACE="T0"), ep(PLACE="U1", PLACE_PROVIDER="PR3"),
            ep(PLACE="t4", PLACE_PROVIDER="x"), ep(PLACE="Z1", PLACE_PROVIDER="PR1")]
    assert run("213", Episodes=rows) == {"Episodes": [0, 3]}


def test_213_2025_adds_z11_to_z14():
    rows = [ep(PLACE="T2", PLACE_PROVIDER="PR2"), ep(PLACE="Z13", PLACE_PROVIDER="VALUE"), ep(PLACE="Z11"),
            ep(PLACE="U1", PLACE_PROVIDER="PR3")]
    assert run("213", year="2025/26", Episodes=rows) == {"Episodes": [0, 1]}


# 214
def test_214_short_breaks_take_no_location():
    rows = [ep(LS="V3", PL_POST="M2 3RT"), ep(LS="V4", URN="SC045099"), ep(LS="V3"),
            ep(LS="C2", PL_POST="M2 3RT", URN="SC045099"), ep(LS="v4", URN="XXXXXXX")]
    assert run("214", Episodes=rows) == {"Episodes": [0, 1, 4]}


# 217 / 217t
def test_217_adoption_with_current_carers_needs_s_t_or_u():
    rows = [ep(PLACE="A3", DECOM="20/02/2022", RNE="P"), ep(PLACE="A5", DECOM="01/01/2017", RNE=""),
            ep(PLACE="A5", DECOM="01/06/2022", RNE="T"), ep(PLACE="A5", DECOM="01/04/2013", RNE="P"),
            ep(PLACE="A5", DECOM="01/04/2015", RNE="P"), ep(PLACE="A5", DECOM="31/03/2015", RNE="P"),
            ep(PLACE="A3", DECOM="", RNE="P"), ep(PLACE="A4", DECOM="01/06/2022", RNE="P")]
    assert run("217", Episodes=rows) == {"Episodes": [0, 1, 4]}


def test_217t_p2_open_after_28_october_2023():
    rows = [ep(PLACE="P2", DEC="01/11/2023"), ep(PLACE="P2", DEC=""), ep(PLACE="P2", DEC="28/10/2023"),
            ep(PLACE="P1", DEC=""), ep(PLACE="P2", DEC="29/10/2023"), ep(PLACE="P2", DEC="32/10/2023")]
    assert run("217t", year="2023/24", Episodes=rows) == {"Episodes": [0, 1, 4, 5]}


def test_217t_not_in_force_from_2024():
    with pytest.raises(InputError, match="not in force"):
        run("217t", year="2024/25", Episodes=[ep(PLACE="P2")])


# 218: URN required
def test_218_2022_urn_required_in_england():
    rows = [ep(PLACE="U1", PL_POST=IN_RICHMOND),                           # flagged
            ep(PLACE="K2", DEC="04/01/2023", PL_POST=IN_RICHMOND),         # flagged
            ep(PLACE="U1", URN="SC045099", PL_POST=IN_RICHMOND),
            ep(PLACE="R1", PL_POST=IN_RICHMOND),
            ep(PLACE="H5", PL_POST=IN_RICHMOND),                           # exempt in 2022/23
            ep(PLACE="U1", PL_POST=IN_WALES),
            ep(PLACE="U1", DEC="31/03/2022", PL_POST=IN_RICHMOND),
            ep(PLACE="U1", DEC="01/04/2022", PL_POST=IN_RICHMOND),         # flagged (on collection_start)
            ep(PLACE="U1", DEC="31/13/2022", PL_POST=IN_RICHMOND),         # unparseable DEC: excluded
            ep(PLACE="U1", URN="XXXXXXX", PL_POST=IN_RICHMOND),
            ep(PLACE="U1", PL_POST=""),                                    # unknown location: exempt (read as 'nan')
            ep(PLACE="U1", PL_POST=UNKNOWN),                               # likewise
            ep(PLACE="", PL_POST=IN_SCOTLAND)]
    assert run("218", Episodes=rows) == {"Episodes": [0, 1, 7]}


def test_218_2024_h5_and_p2_need_urn():
    rows = [ep(PLACE="H5", PL_POST=IN_RICHMOND), ep(PLACE="P2", PL_POST=IN_RICHMOND),
            ep(PLACE="R5", PL_POST=IN_RICHMOND), ep(PLACE="K2", DEC="31/03/2024", PL_POST=IN_RICHMOND),
            ep(PLACE="U1", PL_POST=IN_SCOTLAND), ep(PLACE="K2", DEC="04/01/2025", PL_POST=IN_RICHMOND),
            ep(PLACE="K2", PL_POST=UNKNOWN)]
    assert run("218", year="2024/25", Episodes=rows) == {"Episodes": [0, 1, 5]}


def test_218_2025_exact_nation_codes_and_z_codes():
    rows = [ep(PLACE="K2", PL_POST=IN_RICHMOND), ep(PLACE="U1", DEC="10/06/2025", PL_POST=UNKNOWN),
            ep(PLACE="Z11", PL_POST=IN_RICHMOND), ep(PLACE="K2", PL_POST=IN_WALES),
            ep(PLACE="K2", DEC="31/03/2025", PL_POST=IN_RICHMOND), ep(PLACE="Z1", PL_POST=IN_RICHMOND),
            ep(PLACE="K2", PL_POST=IN_NI)]
    assert run("218", year="2025/26", Episodes=rows) == {"Episodes": [0, 1, 5]}


# 222: URN not for this placement type
def test_222_2022():
    rows = [ep(PLACE="R1", URN="SC123456"), ep(PLACE="T2", URN="1234567"), ep(PLACE="H5", URN="XXXXXXX"),
            ep(PLACE="U1", URN="SC123456"), ep(PLACE="T1", URN=""), ep(PLACE="H5", URN="SC1")]
    assert run("222", Episodes=rows) == {"Episodes": [0, 1, 5]}


def test_222_2023_h5_may_have_urn():
    rows = [ep(PLACE="R1", URN="SC123456"), ep(PLACE="H5", URN="SC123456"), ep(PLACE="P2", URN="SC1"),
            ep(PLACE="R1", URN="XXXXXXX")]
    assert run("222", year="2023/24", Episodes=rows) == {"Episodes": [0, 2]}


def test_222_2024_p2_may_have_urn():
    rows = [ep(PLACE="T2", URN="WHATEVER"), ep(PLACE="P2", URN="SC123456"), ep(PLACE="T1", URN="")]
    assert run("222", year="2024/25", Episodes=rows) == {"Episodes": [0]}


def test_222_2025_z_codes():
    rows = [ep(PLACE="R1", URN="SC123456"), ep(PLACE="Z11", URN="SC123456"), ep(PLACE="P1", URN="XXXXXXX"),
            ep(PLACE="U1", URN="SC123456"), ep(PLACE="Z1", URN="SC123456")]
    assert run("222", year="2025/26", Episodes=rows) == {"Episodes": [0, 1]}


# 225 / 226: reason for placement change
def test_225_reason_needed_for_a_placement_change():
    rows = [ep("1", DECOM="01/04/2022", REC="X1", PLACE="U1", DEC="01/05/2022"),
            ep("1", DECOM="01/05/2022", RNE="P", PLACE="U2"),
            ep("2", DECOM="01/04/2022", REC="X1", PLACE="U1", REASON_PLACE_CHANGE="CARPL"),
            ep("2", DECOM="01/05/2022", RNE="P", PLACE="U2"),
            ep("3", DECOM="01/04/2022", REC="X1", PLACE="U1"), ep("3", DECOM="01/05/2022", RNE="P", PLACE="T3"),
            ep("4", DECOM="01/04/2022", REC="X1", PLACE="U1"), ep("4", DECOM="01/05/2022", RNE="L", PLACE="U2"),
            ep("5", DECOM="01/04/2022", REC="X1", PLACE="T1"), ep("5", DECOM="01/05/2022", RNE="B", PLACE="U2"),
            ep("6", DECOM="01/04/2022", REC="X1", PLACE="")]
    assert run("225", Episodes=rows) == {"Episodes": [0]}


def test_225_uses_decom_order_not_file_order():
    rows = [ep("1", DECOM="01/05/2022", RNE="U", PLACE="K2"),
            ep("1", DECOM="01/04/2022", REC="X1", PLACE="", DEC="01/05/2022")]
    assert run("225", Episodes=rows) == {"Episodes": [1]}


def test_226_temporary_placement_takes_no_reason():
    rows = [ep("1", DECOM="01/04/2022", PLACE="T1", REASON_PLACE_CHANGE="CARPL"),
            ep("2", DECOM="01/05/2022", PLACE="T1"), ep("2", DECOM="01/04/2022", PLACE="U1", REASON_PLACE_CHANGE="X"),
            ep("3", DECOM="01/04/2022", PLACE="T3"),
            ep("4", DECOM="01/04/2022", PLACE="U1", REASON_PLACE_CHANGE="CARPL"),
            ep("5", DECOM="01/04/2022", PLACE="U1"), ep("5", DECOM="01/05/2022", PLACE="T2")]
    assert run("226", Episodes=rows) == {"Episodes": [0, 1]}


def test_226_2025_same_check():
    rows = [ep("1", DECOM="01/04/2022", PLACE="U1", REASON_PLACE_CHANGE="CARPL"), ep("1", DECOM="01/05/2022", PLACE="T1"),
            ep("2", DECOM="01/04/2022", PLACE="T3")]
    assert run("226", year="2025/26", Episodes=rows) == {"Episodes": [1]}


# 230: H5 URN from 28 October 2023
def test_230_h5_needs_urn_in_england():
    rows = [ep(PLACE="H5", PL_POST=IN_RICHMOND), ep(PLACE="H5", DEC="29/10/2023", URN="XXXXXXX", PL_POST=IN_RICHMOND),
            ep(PLACE="H5", DEC="28/10/2023", PL_POST=IN_RICHMOND), ep(PLACE="H5", PL_POST=IN_WALES),
            ep(PLACE="H5", URN="SC1", PL_POST=IN_RICHMOND), ep(PLACE="H5", PL_POST=""),
            ep(PLACE="K2", PL_POST=IN_RICHMOND), ep(PLACE="H5", PL_POST=UNKNOWN)]
    assert run("230", year="2023/24", Episodes=rows) == {"Episodes": [0, 1]}


# 233 / 234 / 242 / 243 (from 2025/26)
def test_233_no_reason_on_open_episode():
    rows = [ep(DEC="", REASON_PLACE_CHANGE="CARPL"), ep(DEC="01/06/2025", REASON_PLACE_CHANGE="CARPL"),
            ep(DEC="", REASON_PLACE_CHANGE=""), ep(DEC="31/06/2025", REASON_PLACE_CHANGE="CARPL")]
    assert run("233", year="2025/26", Episodes=rows) == {"Episodes": [0]}


def test_233_not_before_2025():
    with pytest.raises(InputError, match="not in force"):
        run("233", year="2024/25", Episodes=[ep(REASON_PLACE_CHANGE="CARPL")])


def test_234_custody_move_under_10_at_the_change():
    header = [{"CHILD": "1", "DOB": "01/01/2016"}, {"CHILD": "2", "DOB": "01/01/2015"},
              {"CHILD": "3", "DOB": "01/01/2016"}, {"CHILD": "4", "DOB": "01/06/2015"}, {"CHILD": "5", "DOB": ""}]
    eps = [ep("1", DECOM="01/06/2025", REASON_PLACE_CHANGE="CUSTOD", DEC="01/07/2025"), ep("1", DECOM="01/07/2025"),
           ep("2", DECOM="01/06/2024", REASON_PLACE_CHANGE="CUSTOD", DEC="01/01/2025"), ep("2", DECOM="01/01/2025"),
           ep("3", DECOM="01/06/2025", REASON_PLACE_CHANGE="CARPL", DEC="01/07/2025"), ep("3", DECOM="01/07/2025"),
           # under 10 when the placement began, 10 by the change: not flagged (known implementation flags)
           ep("4", DECOM="01/04/2025", REASON_PLACE_CHANGE="CUSTOD", DEC="01/07/2025"), ep("4", DECOM="01/07/2025"),
           ep("5", DECOM="01/04/2025", REASON_PLACE_CHANGE="CUSTOD", DEC="01/07/2025")]
    assert run("234", year="2025/26", Header=header, Episodes=eps) == {"Episodes": [0], "Header": [0]}


def test_234_without_next_episode_passes():
    """DfE coding: the episode after the change is judged, so with none there is nothing to flag."""
    header = [{"CHILD": "1", "DOB": "01/01/2016"}, {"CHILD": "2", "DOB": "01/01/2016"}]
    eps = [ep("1", DECOM="01/06/2025", REASON_PLACE_CHANGE="CUSTOD", DEC="01/07/2025"),
           ep("2", DECOM="01/06/2025", REASON_PLACE_CHANGE="CUSTOD", DEC="")]
    assert run("234", year="2025/26", Header=header, Episodes=eps) == {}


def test_242_placeholder_urn_only_for_adoption_and_fostering():
    rows = [ep(URN="XXXXXXX", PLACE="K3"), ep(URN="XXXXXXX", PLACE=""), ep(URN="XXXXXXX", PLACE="A3"),
            ep(URN="SC123456", PLACE="K2"), ep(URN="xxxxxxx", PLACE="R1")]
    assert run("242", year="2025/26", Episodes=rows) == {"Episodes": [0, 1, 4]}


def test_243_no_urn_outside_england():
    rows = [ep(PL_POST=IN_WALES, URN="SC123456"), ep(PL_POST=IN_NI, URN="XXXXXXX"), ep(PL_POST=IN_WALES),
            ep(PL_POST=IN_RICHMOND, URN="SC123456"), ep(PL_POST=UNKNOWN, URN="SC1")]
    assert run("243", year="2025/26", Episodes=rows) == {"Episodes": [0, 1]}


# 1015: own provision out of area
def test_1015_own_provision_placed_in_another_la():
    rows = [ep(PLACE="K2", LS="C1", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER),   # flagged
            ep(PLACE="R1", LS="C2", PLACE_PROVIDER="PR1", PL_POST=""),               # unknown PL_LA: flagged
            ep(PLACE="U1", LS="C2", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER),
            ep(PLACE="K2", LS="V3", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER),
            ep(PLACE="K2", LS="C2", PLACE_PROVIDER="PR1", PL_POST=IN_RICHMOND),
            ep(PLACE="K2", LS="C2", PLACE_PROVIDER="PR2", PL_POST=IN_WESTMINSTER),
            ep(PLACE="K3", LS="C2", PLACE_PROVIDER="PR1", PL_POST=IN_WALES),          # flagged before 2025/26
            ep(PLACE="", LS="C2", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER),
            ep(PLACE="K2", LS="", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER)]
    assert run("1015", Episodes=rows, local_authority=RICHMOND) == {"Episodes": [0, 1, 6]}
    assert run("1015", year="2025/26", Episodes=rows, local_authority=RICHMOND) == {"Episodes": [0, 1]}


def test_1015_skipped_without_local_authority():
    run("1015", Episodes=[ep(PLACE="K2", LS="C1", PLACE_PROVIDER="PR1", PL_POST=IN_WESTMINSTER)], expect="skipped")
