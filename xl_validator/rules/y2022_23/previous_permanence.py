"""PrevPerm: the previous permanence option, where and when it was arranged."""
from ... import catalogue
from .. import rule
from ..common import isin

# DfE three-digit local authority numbers accepted for LA_PERM (the DfE's own list),
# plus 999 (not available) and the codes for places outside England.
LA_NUMBERS = (
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
    "301", "302", "303", "304", "305", "306", "307", "308", "309", "310", "311", "312", "313",
    "314", "315", "316", "317", "318", "319", "320", "330", "331", "332", "333", "334", "335",
    "336", "340", "341", "342", "343", "344", "350", "351", "352", "353", "354", "355", "356",
    "357", "358", "359", "370", "371", "372", "373", "380", "381", "382", "383", "384", "390",
    "391", "392", "393", "394", "420", "800", "801", "802", "803", "805", "806", "807", "808",
    "810", "811", "812", "813", "815", "816", "821", "822", "823", "825", "826", "830", "831",
    "835", "836", "837", "840", "841", "845", "846", "850", "851", "852", "855", "856", "857",
    "860", "861", "865", "866", "867", "868", "869", "870", "871", "872", "873", "874", "876",
    "877", "878", "879", "880", "881", "882", "883", "884", "885", "886", "887", "888", "889",
    "890", "891", "892", "893", "894", "895", "896", "908", "909", "916", "919", "921", "925",
    "926", "928", "929", "931", "933", "935", "936", "937", "938", "999",
)
# Authorities created by the 2019-2023 reorganisations, missing from the DfE's list:
# Dorset, Bournemouth Christchurch and Poole, North and West Northamptonshire,
# Cumberland, Westmorland and Furness.
NEW_LA_NUMBERS = ("838", "839", "940", "941", "942", "943")
OUTSIDE_ENGLAND = ("WAL", "SCO", "NUK", "NIR")


@rule("631")
def previous_permanence_code_valid(d):
    """A filled-in PREV_PERM must be a code of the list, exactly (no trimming)."""
    p = d["PrevPerm"]
    valid = isin(p["PREV_PERM"], catalogue.codes("PREV_PERM", d.year))
    return {"PrevPerm": ~p.blank("PREV_PERM") & ~valid}


@rule("633")
def previous_permanence_la_valid(d):
    """A filled-in LA_PERM must be a DfE LA number, 999 or WAL/SCO/NUK/NIR, as exact text.

    Departure: the numbers of the authorities formed since 2019 (838, 839, 940-943) are
    accepted too. The spec's list predates them (its notes and code-list findings say so),
    so an order those councils arranged, a valid value, would otherwise be flagged.
    """
    p = d["PrevPerm"]
    valid = isin(p["LA_PERM"], LA_NUMBERS + NEW_LA_NUMBERS + OUTSIDE_ENGLAND)
    return {"PrevPerm": ~p.blank("LA_PERM") & ~valid}


@rule("635")
def no_order_details_without_permanence(d):
    """LA_PERM or DATE_PERM given while PREV_PERM is blank: order details without any
    permanence option. As the spec's logic, PREV_PERM 'Z1' with those details is not
    flagged, although the message names Z1."""
    p = d["PrevPerm"]
    details = ~p.blank("LA_PERM") | ~p.blank("DATE_PERM")
    return {"PrevPerm": details & p.blank("PREV_PERM")}


@rule("INT35")
def child_once_in_prevperm(d):
    """Every row of a CHILD repeated in PrevPerm; blank CHILD is ignored."""
    p = d["PrevPerm"]
    return {"PrevPerm": ~p.blank("CHILD") & p["CHILD"].duplicated(keep=False)}
