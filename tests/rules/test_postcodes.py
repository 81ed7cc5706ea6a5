from rulecheck import run

RICHMOND, WESTMINSTER, CARDIFF = "TW9 1DN", "SW1A 1AA", "CF10 1EP"


def ep(child="1", ls="C2", home="", pl="", place="U1"):
    return {"CHILD": child, "LS": ls, "HOME_POST": home, "PL_POST": pl, "PLACE": place}


def hdr(*uasc):
    return [{"CHILD": str(i + 1), "UASC": u} for i, u in enumerate(uasc)]


# --- 392a -------------------------------------------------------------------------------

def test_392a_distance_missing_for_non_uasc_child():
    eps = [ep("1", home="", pl=RICHMOND), ep("1", home=RICHMOND, pl="ZZ99 9ZZ"), ep("1", home=RICHMOND, pl=WESTMINSTER),
           ep("1", ls="V3"), ep("1", ls="", home=RICHMOND), ep("2"), ep("3", home="tw91dn", pl=CARDIFF)]
    assert run("392a", Episodes=eps, Header=hdr("0", "1", "0")) == {"Episodes": [0, 1, 4]}


def test_392a_postcode_without_grid_reference_gives_no_distance():
    """JE1 0BD is in the directory (district L99999999) but has no grid reference."""
    eps = [ep("1", home="JE1 0BD", pl=RICHMOND), ep("1", home=WESTMINSTER, pl=RICHMOND)]
    assert run("392a", Episodes=eps, Header=hdr("0")) == {"Episodes": [0]}


def test_392a_former_uasc_from_last_year_excluded():
    eps = [ep("1"), ep("2")]
    assert run("392a", Episodes=eps, Header=[{"CHILD": "1"}, {"CHILD": "2"}],
               last={"Header": hdr("1", "0")}) == {"Episodes": [1]}


def test_392a_uasc_table_used_when_header_absent():
    eps = [ep("1"), ep("2"), ep("3")]
    uasc = [{"CHILD": "1", "DUC": "01/01/2022"}, {"CHILD": "2"}]
    assert run("392a", Episodes=eps, UASC=uasc) == {"Episodes": [1, 2]}


def test_392a_uasc_table_derives_header_uasc():
    eps = [ep("1"), ep("2")]
    assert run("392a", Episodes=eps, Header=[{"CHILD": "1"}, {"CHILD": "2"}],
               UASC=[{"CHILD": "2", "DUC": "01/01/2022"}]) == {"Episodes": [0]}


def test_392a_skipped_without_uasc_data_or_postcodes():
    """Departure from the known implementation, which passes silently without UASC data."""
    run("392a", Episodes=[ep("1")], Header=[{"CHILD": "1"}], expect="skipped")
    run("392a", Episodes=[ep("1")], Header=hdr("0"), postcodes=None, expect="skipped")


# --- 392b -------------------------------------------------------------------------------

def test_392b_postcode_missing():
    eps = [ep("1", home="AB1 0JD"), ep("1", ls="E1"), ep("1", home="AB1 0JD", pl="XX1 1XX"),
           ep("1", ls="V4"), ep("2"), ep("1", ls="", home="", pl=RICHMOND)]
    assert run("392b", Episodes=eps, Header=hdr("0", "1")) == {"Episodes": [0, 1, 5]}


def test_a_postcode_of_spaces_is_not_blank_so_392c_flags_it_not_392b():
    """Only an empty cell is blank (the spec: spaces are not trimmed): a HOME_POST of two spaces
    is given, so 392b passes it and 392c, which matches postcodes without spaces, finds no such
    postcode."""
    eps = [ep("1", home="  ", pl=RICHMOND), ep("1", home="", pl=RICHMOND)]
    assert run("392b", Episodes=eps, Header=hdr("0")) == {"Episodes": [1]}
    assert run("392c", Episodes=eps) == {"Episodes": [0]}


def test_392b_without_uasc_data_checks_everyone():
    assert run("392b", Episodes=[ep("1"), ep("2", home="A", pl="B")]) == {"Episodes": [0]}


# --- 392c -------------------------------------------------------------------------------

def test_392c_unknown_postcodes():
    eps = [ep(home="INVALID", pl=RICHMOND), ep(home=RICHMOND, pl="TW9"), ep(home="tw9 1dn", pl="SW1A1AA"),
           ep(), ep(home="TW9 1", pl=""), ep(home="12345", pl=CARDIFF), ep(home=" TW9  1DN ", pl="")]
    assert run("392c", Episodes=eps) == {"Episodes": [0, 1, 4, 5]}


def test_392c_skipped_without_postcode_data():
    run("392c", Episodes=[ep(home=RICHMOND)], postcodes=None, expect="skipped")


# --- 392d -------------------------------------------------------------------------------

def test_392d_same_postcodes_unless_placed_with_parents():
    eps = [ep(home="BN2 0AA", pl="BN2 0AA"), ep(home="BN2 0AA", pl="BN2 0AA", place="P1"),
           ep(home="BN2 0AA", pl="BN2 1AA"), ep(home="", pl="", place=""), ep(home="BN2 0AA", pl="BN2 0AA", place="")]
    assert run("392d", Episodes=eps) == {"Episodes": [0, 4]}


def test_392d_compares_exact_text_after_upper_casing():
    eps = [ep(home="BN2 0AA", pl="BN20AA"), ep(home="BN2 0AA", pl="bn2 0aa")]
    assert run("392d", Episodes=eps) == {"Episodes": [1]}


# --- 398 --------------------------------------------------------------------------------

def test_398_postcodes_given_for_respite():
    eps = [ep(ls="V3", home="AB1 0JD", pl="AB1 0JD"), ep(ls="V4", home="AB1 0JD"), ep(ls="V4", pl="X"),
           ep(ls="V3"), ep(ls="C2", home="AB1 0JD", pl="AB1 0JD")]
    assert run("398", Episodes=eps) == {"Episodes": [0, 1, 2]}


def test_392c_postcode_in_the_directory_without_grid_reference_is_not_invalid():
    """Terminated postcodes such as AB11 3AG stay in the directory with no grid reference or
    district: they exist, so 392c does not call them invalid (392a still sees no distance)."""
    rows = [{"CHILD": "1", "HOME_POST": "AB11 3AG", "PL_POST": "TW9 1DN"},
            {"CHILD": "2", "HOME_POST": "ZZ99 9ZZ", "PL_POST": "TW9 1DN"}]
    assert run("392c", Episodes=rows) == {"Episodes": [1]}
