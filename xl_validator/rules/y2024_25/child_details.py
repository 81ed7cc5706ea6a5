"""Child details changes in 2024/25: male/female are SEX 'M'/'F' instead of '1'/'2'."""
from .. import rule
from ..y2022_23.child_details import child_dob_but_not_mother, looked_after_children


@rule("174")
def male_has_no_child_dob(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "M") & ~h.blank("MC_DOB")}


@rule("393")
def mother_given_for_looked_after_girl(d):
    h = d["Header"]
    return {"Header": (h["SEX"] == "F") & h.blank("MOTHER") & h["CHILD"].isin(looked_after_children(d))}


@rule("612")
def child_dob_means_mother(d):
    """As 2022/23 (MOTHER '0' or blank) but female is SEX 'F'."""
    return {"Header": child_dob_but_not_mother(d, "F")}
