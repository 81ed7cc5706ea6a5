"""Child details checked against the rest of the return: mother status, the child's
age at the start and end of episodes, and that each child has episodes or OC3 data."""
import numpy as np
import pandas as pd

from .. import rule
from ..common import add_years, episodes_sorted, isin, lookup
from .header import flagged_positions, last_year_pairs

SHORT_BREAKS = ("V3", "V4")


def sex_codes(d) -> tuple[str, str]:
    """(male, female) SEX codes of the year: gender 1/2 until 2023/24, sex M/F from 2024/25."""
    return ("M", "F") if d.year >= "2024/25" else ("1", "2")


def header_dob(d, table) -> pd.Series:
    """For each row of ``table``, the child's DOB from (the first) Header row; NaT if none."""
    h = d["Header"]
    return lookup(table["CHILD"], h, h.date("DOB"))


def header_rows_of(d, children) -> pd.Series:
    """Header rows whose CHILD is among ``children``."""
    return d["Header"]["CHILD"].isin(pd.unique(np.asarray(children, dtype=object)))


@rule("165")
def mother_status_valid(d):
    """MOTHER, when given, must be 0 or 1 and not given for a male child (checked for
    every child: the known implementation checks only children with a non-short-break
    episode). A female child with blank MOTHER is flagged unless she was not looked
    after in the year and has OC3 data (a care leaver), as the DfE text says; the
    known implementation instead flags a MOTHER that is given in that case (rule
    628's subject), and never flags a female with no episode and no OC3 data.
    Children whose every episode is a short break (LS V3/V4) need no MOTHER, as in 393.
    Male/female are 1/2 until 2023/24 and M/F from 2024/25 (the known implementation
    keeps 1/2, so its sex-based checks never fire from 2024/25). The child's Header
    and OC3 rows are flagged."""
    h, e, oc3 = d["Header"], d["Episodes"], d["OC3"]
    male, female = sex_codes(d)
    given = ~h.blank("MOTHER")
    wrong_value = given & ~isin(h["MOTHER"], ("0", "1"))
    male_mother = given & (h["SEX"] == male)

    counted = ~isin(e["LS"], SHORT_BREAKS)
    in_year = counted & (e.date("DECOM") <= d.collection_end) & (e.date("DEC").fillna(d.collection_end) >= d.collection_start)
    short_breaks_only = set(e["CHILD"]) - set(e["CHILD"][counted])
    oc3_given = ~(oc3.blank("IN_TOUCH") & oc3.blank("ACTIV") & oc3.blank("ACCOM"))
    care_leaver = h["CHILD"].isin(set(oc3["CHILD"][oc3_given]) - set(e["CHILD"][in_year]))
    blank_mother = (~given & (h["SEX"] == female) & ~care_leaver
                    & ~h["CHILD"].isin(short_breaks_only))

    bad = wrong_value | male_mother | blank_mother
    children = h["CHILD"][bad]
    return {"Header": bad, "OC3": oc3["CHILD"].isin(set(children))}


@rule("174")
def male_has_no_child_dob(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "1") & ~h.blank("MC_DOB")}


@rule("184")
def placed_for_adoption_after_birth(d):
    """DATE_PLACED before the child's birth. The birth date is Header DOB, falling back
    to PlacedAdoption's own DOB when Header has none usable (the known implementation
    uses only PlacedAdoption DOB and flags rows with no usable DOB; an unknown birth
    date cannot show the decision came before it, so those pass)."""
    pa = d["PlacedAdoption"]
    dob = header_dob(d, pa).fillna(pa.date("DOB"))
    return {"PlacedAdoption": pa.date("DATE_PLACED") < dob}


@rule("210")
def un4_not_after_a_week(d):
    """UN4 (newly looked after, UPN not yet known) is wrong for a child looked after at
    collection_end whose current period of care began before 24 March of that year
    (more than a week). The period begins at the child's latest RNE 'S' episode, or
    its earliest episode when no 'S' is in the return. This follows the DfE message;
    the known implementation flags the opposite (UN4 children with an episode
    starting on/after 24 March). Flags the child's Header row and its episode(s)
    open at collection_end (DEC blank/unusable or after collection_end)."""
    h, e = d["Header"], d["Episodes"]
    end = d.collection_end
    cutoff = pd.Timestamp(end.year, 3, 24)
    child = e["CHILD"].to_numpy()
    decom, dec = e.date("DECOM"), e.date("DEC")
    latest_start = decom.where((e["RNE"] == "S") & (decom <= end)).groupby(child).max()
    period_start = latest_start.fillna(decom.groupby(child).min())
    began = pd.Series(period_start.reindex(child).to_numpy(), index=e.index)
    open_at_end = (decom <= end) & (dec.isna() | (dec > end))
    un4 = lookup(e["CHILD"], h, h["UPN"]) == "UN4"
    bad = open_at_end & un4 & (began < cutoff)
    return {"Episodes": bad, "Header": header_rows_of(d, e["CHILD"][bad])}


@rule("302")
def first_episode_after_birth(d):
    """The child's earliest episode (by valid DECOM; file order on ties) may not start
    before its Header DOB. Children with no valid DECOM are skipped."""
    order = episodes_sorted(d)
    first = order[order["first"] & order["DECOM"].notna()]
    dob = lookup(first["CHILD"], d["Header"], d["Header"].date("DOB"))
    bad = (dob > first["DECOM"]).to_numpy()
    return {"Episodes": first["pos"].to_numpy()[bad], "Header": header_rows_of(d, first["CHILD"][bad])}


@rule("352")
def started_care_under_18(d):
    e = d["Episodes"]
    return {"Episodes": (e["RNE"] == "S") & (e.date("DECOM") >= add_years(header_dob(d, e), 18))}


@rule("358")
def justice_legal_status_age_10(d):
    """LS J1-J3 on an episode starting before the 10th birthday. The DfE message says
    'under 10', so an episode starting on the 10th birthday passes (the known
    implementation flags it). Flags the episode and the child's Header row."""
    e = d["Episodes"]
    bad = isin(e["LS"], ("J1", "J2", "J3")) & (e.date("DECOM") < add_years(header_dob(d, e), 10))
    return {"Episodes": bad, "Header": header_rows_of(d, e["CHILD"][bad])}


@rule("359")
def over_18_open_episode_is_v2_k2(d):
    """An episode still open (DEC blank) for a child whose 18th birthday is before
    collection_end must be LS V2 in PLACE K2."""
    e = d["Episodes"]
    adult = add_years(header_dob(d, e), 18) < d.collection_end
    v2_k2 = (e["LS"] == "V2") & (e["PLACE"] == "K2")
    return {"Episodes": adult & e.blank("DEC") & ~v2_k2}


@rule("386")
def adopted_before_18(d):
    e = d["Episodes"]
    return {"Episodes": isin(e["REC"], ("E11", "E12")) & (e.date("DEC") >= add_years(header_dob(d, e), 18))}


@rule("387")
def independent_living_from_14(d):
    """REC E5/E6 with DEC before the 14th birthday. A child without a usable Header
    DOB passes: its age is unknown, so it cannot be shown to be under 14 (the known
    implementation flags it, unlike 386 and 460; 102 reports the DOB)."""
    e = d["Episodes"]
    return {"Episodes": isin(e["REC"], ("E5", "E6")) & (e.date("DEC") < add_years(header_dob(d, e), 14))}


def looked_after_children(d) -> set:
    """Children with at least one episode that is not a short break (LS V3/V4)."""
    e = d["Episodes"]
    return set(e["CHILD"][~isin(e["LS"], SHORT_BREAKS)])


@rule("393")
def mother_given_for_looked_after_girl(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "2") & h.blank("MOTHER") & h["CHILD"].isin(looked_after_children(d))}


@rule("460")
def stayed_with_carers_at_18(d):
    e = d["Episodes"]
    return {"Episodes": (e["REC"] == "E17") & (e.date("DEC") < add_years(header_dob(d, e), 18))}


@rule("3001")
def not_with_former_foster_carers_at_17(d):
    """OC3 ACCOM Z1/Z2 for a child whose 17th birthday is in the collection year."""
    oc3 = d["OC3"]
    birthday = add_years(header_dob(d, oc3), 17)
    in_year = (birthday >= d.collection_start) & (birthday <= d.collection_end)
    return {"OC3": isin(oc3["ACCOM"], ("Z1", "Z2")) & in_year}


@rule("611")
def mother_has_child_dob(d):
    h = d["Header"]
    return {"Header": (h["MOTHER"] == "1") & h.blank("MC_DOB")}


@rule("612")
def child_dob_means_mother(d):
    """A female child with MC_DOB filled in and MOTHER '0'. The DfE message is about
    MOTHER indicating she is not a mother, so a blank MOTHER passes here (the known
    implementation flags it too; 165/393 report the blank)."""
    return {"Header": child_dob_but_not_mother(d, "2")}


def child_dob_but_not_mother(d, female):
    h = d["Header"]
    return (h["SEX"] == female) & ~h.blank("MC_DOB") & (h["MOTHER"] == "0")


@rule("620")
def mother_at_least_11(d):
    """MOTHER '1' for a child under 11 on collection_start."""
    h = d["Header"]
    return {"Header": (h["MOTHER"] == "1") & (add_years(h.date("DOB"), 11) > d.collection_start)}


@rule("621")
def mother_older_than_child(d):
    """MC_DOB before the mother's own DOB ('younger than her child'). Following the DfE
    message, the same day passes and a row without both dates usable passes (the known
    implementation flags equal dates and any valid MC_DOB with an unusable DOB)."""
    h = d["Header"]
    return {"Header": h.date("MC_DOB") < h.date("DOB")}


@rule("624")
def child_dob_matches_last_year(d):
    """Last year's non-blank MC_DOB must be repeated this year. When both years' values
    are valid dates they are compared as dates ('1/6/2020' equals '01/06/2020', which
    the known implementation's text comparison flags); otherwise as text, so a blank
    or different text this year is flagged."""
    p = last_year_pairs(d, "MC_DOB", dates=("MC_DOB",))
    now, before = p["MC_DOB_date"], p["MC_DOB_date_last"]
    both_dates = now.notna() & before.notna()
    differs = (now != before).where(both_dates, p["MC_DOB"] != p["MC_DOB_last"]).astype(bool)
    return {"Header": flagged_positions(p, (p["MC_DOB_last"].str.strip() != "") & differs)}


@rule("626")
def new_mother_child_born_this_year(d):
    """MOTHER 1 this year, 0 last year: the first child cannot be born before the year."""
    p = last_year_pairs(d, "MOTHER", dates=("MC_DOB",))
    mother = pd.to_numeric(p["MOTHER"], errors="coerce")
    mother_last = pd.to_numeric(p["MOTHER_last"], errors="coerce")
    bad = (mother == 1) & (mother_last == 0) & (p["MC_DOB_date"] < d.collection_start)
    return {"Header": flagged_positions(p, bad)}


@rule("EPI")
def child_has_episodes_or_oc3(d):
    """Header children with no Episodes row and no OC3 row; a table not supplied counts
    as empty."""
    h = d["Header"]
    known = set()
    for name in ("Episodes", "OC3"):
        t = d.get(name)
        if t is not None:
            known |= set(t["CHILD"])
    return {"Header": ~h["CHILD"].isin(known)}
