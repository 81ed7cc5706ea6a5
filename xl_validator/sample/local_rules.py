"""The Local rules template: about ten checks a council commonly adds to the DfE's, with a
list of the council's social workers and a sheet describing every kind of check."""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

from ..annotate import save_atomically
from ..rules.local.vocabulary import vocabulary
from .demo import DEMO_CHILDREN, DEMO_YEAR
from .generator import generate

_CPR = "Care Planning, Placement and Case Review (England) Regulations 2010, regulation 33."
_SINCE_CARE = "Episodes.DECOM where RNE = S"
TEMPLATE_RULES = [
    ["L001", "First review more than 20 working days after the child started to be looked after",
     "error", "Reviews", "REVIEW", "within 20 working days of", _SINCE_CARE, "",
     "First review within 20 working days. " + _CPR + " Working days are Monday to Friday; bank holidays "
     "are not taken out, so a review just inside the limit over a bank holiday may be flagged."],
    ["L002", "Second review more than 3 months after the first", "error", "Reviews", "REVIEW",
     "within 3 months of", "previous", "row 2 since " + _SINCE_CARE,
     "Second review within 3 months of the first. " + _CPR + " A child whose care began before the episodes "
     "in this return has its reviews treated as later ones (L003)."],
    ["L003", "Review more than 6 months after the previous one", "error", "Reviews", "REVIEW",
     "within 6 months of", "previous", "row 3 or later since " + _SINCE_CARE,
     "Later reviews within 6 months of the previous one. " + _CPR],
    ["L004", "Placement postcode missing: every placement needs one", "warning", "Episodes", "PL_POST",
     "required", "", "", "The DfE accepts a blank postcode for some placements; we record one for all."],
    ["L005", "Social worker ID is not on our list of social workers", "error", "SWEpisodes", "SW_ID",
     "one of", "=Social workers!SW_ID", "SW_DEC is blank",
     "For every child with a social worker allocated at the end of the year. Keep the list on the "
     "'Social workers' sheet up to date."],
    ["L006", "Missing period still open after more than 28 days", "warning", "Missing", "MIS_START",
     "within 28 days of", "collection_end", "MIS_END is blank",
     "An open missing or away period started more than 28 days before the end of the year: check it has "
     "not ended."],
    ["L007", "UPN is not in the DfE format (letter, 11 digits, digit or letter; or UN1-UN7)", "error",
     "Header", "UPN", "pattern", "[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]|UN[1-7]", "",
     "Letters I, O and S are never used in a UPN."],
    ["L008", "The same review date is recorded twice for this child", "warning", "Reviews", "REVIEW",
     "unique per child", "", "", "Usually a review entered twice."],
    ["L009", "Review for a child with no episode in this return", "error", "Reviews", "CHILD", "has row in",
     "Episodes", "", "Usually a review kept for a child who left care last year."],
    ["L010", "Home postcode missing when a period of care starts", "warning", "Episodes", "HOME_POST",
     "required", "", "RNE = S", ""],
    ["L011", "Missing period starts before the child's date of birth", "error", "Missing", "MIS_START",
     "on or after", "DOB", "", ""],
    ["L012", "Placement coded 'other' (Z1): use a more specific code if one fits", "info", "Episodes",
     "PLACE", "not one of", "Z1", "", ""],
]


def demo_social_workers() -> list[str]:
    """The demo return's social worker IDs, less a few, so L005 has something to find."""
    this, _ = generate(DEMO_CHILDREN, DEMO_YEAR, seed=903, previous=False)
    ids = sorted(set(this["SWEpisodes"]["SW_ID"].str.strip()) - {""})
    return [sw for i, sw in enumerate(ids) if i % 40 != 7]


def _header(ws, titles: list[str]) -> None:
    ws.append(titles)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
    ws.freeze_panes = "A2"


def write_local_rules(path: Path, rules: list[list] | None = None, social_workers: list[str] | None = None) -> Path:
    """Write the template workbook (atomically): Local rules, Social workers, Checks."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Local rules"
    columns = vocabulary()["columns"]
    _header(ws, columns)
    for row in TEMPLATE_RULES if rules is None else rules:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # =Sheet!Column is text naming a list, not a formula
    for col, width in zip("ABCDEFGHI", (8, 60, 10, 12, 14, 24, 34, 44, 80)):
        ws.column_dimensions[col].width = width
    sw = wb.create_sheet("Social workers")
    _header(sw, ["SW_ID", "Team"])
    for n, worker in enumerate(demo_social_workers() if social_workers is None else social_workers):
        sw.append([worker, ("North", "South", "Leaving care")[n % 3]])
    sw.column_dimensions["A"].width = 14
    checks = wb.create_sheet("Checks")
    _header(checks, ["check", "value", "columns"])
    for entry in vocabulary()["checks"]:
        checks.append([entry["check"], entry["needs"], entry["columns"]])
    checks.append([])
    checks.append(["only_when", "COLUMN = A, B / COLUMN is blank / COLUMN is not blank / "
                                "row N [or later] since Table.COLUMN [where COLUMN = A, B]", ""])
    checks.append(["severity", ", ".join(vocabulary()["severities"]), ""])
    checks.column_dimensions["A"].width, checks.column_dimensions["B"].width = 26, 110
    return save_atomically(wb, Path(path))
