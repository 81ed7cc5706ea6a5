"""PrevPerm: the previous permanence option, where and when it was arranged."""
from ... import catalogue
from .. import rule
from ..common import isin

@rule("631")
def previous_permanence_code_valid(d):
    """A filled-in PREV_PERM must be a code of the list, exactly (no trimming)."""
    p = d["PrevPerm"]
    valid = isin(p["PREV_PERM"], catalogue.codes("PREV_PERM", d.year))
    return {"PrevPerm": ~p.blank("PREV_PERM") & ~valid}


@rule("633")
def previous_permanence_la_valid(d):
    """A filled-in LA_PERM must be one of the spec's LA numbers, 999 or WAL/SCO/NUK/NIR, as
    exact text. The list predates the 2019-2023 reorganisations (the spec's notes say so), so
    the numbers of the authorities they formed are flagged, as the logic's list has it."""
    p = d["PrevPerm"]
    return {"PrevPerm": ~p.blank("LA_PERM") & ~isin(p["LA_PERM"], catalogue.codes("LA_PERM", d.year))}


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
