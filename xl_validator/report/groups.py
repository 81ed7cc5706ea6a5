"""Named error groups, so a leader sees "placement postcode" rather than twenty rule codes."""
from __future__ import annotations

from .. import catalogue
from .cells_to_change import DERIVED_FROM, input_fields


def error_group(rule) -> str:
    """The first group whose test fits the rule's tables and highlighted fields."""
    if getattr(rule, "source", "DfE") == "local":
        return "Local"
    derived = {f for fs in rule.fields.values() for f in fs} & set(DERIVED_FROM)
    fields = {f for fs in rule.fields.values() for f in input_fields(rule.code, fs)}
    tables = {t for t in rule.tables}
    if rule.code.startswith("INT") or rule.code in ("EPI", "NoE"):
        return "Data integrity"
    if derived:  # worked out from the postcodes, even when compared with last year
        return "Placement postcode"
    if any(t.endswith("_last") for t in tables):
        return "Consistency with last year"
    if fields & {"PL_POST", "HOME_POST"}:
        return "Placement postcode"
    if "URN" in fields:
        return "URN"
    if "PLACE_PROVIDER" in fields:
        return "Provider code"
    for table, group in (("Reviews", "Reviews"), ("SWEpisodes", "Social worker episodes"),
                         ("Missing", "Missing or away"), ("UASC", "UASC"), ("OC2", "Outcomes (OC2)"),
                         ("OC3", "Care leavers (OC3)"), ("AD1", "Adoption"), ("PlacedAdoption", "Adoption"),
                         ("PrevPerm", "Previous permanence"), ("DoLo", "Deprivation of liberty")):
        if table in rule.fields and rule.fields[table]:
            return group
    dates = {c for t in catalogue.all_tables() for c in catalogue.date_columns(t)}
    if fields and fields <= dates:
        return "Dates"
    if fields & {"PLACE", "LS", "RNE", "CIN", "REC", "REASON_PLACE_CHANGE"}:
        return "Episode codes"
    if fields & {"UPN", "ETHNIC", "SEX", "DOB", "MOTHER", "MC_DOB"}:
        return "Child details"
    return "Other"
