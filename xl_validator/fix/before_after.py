"""The "Before / after fixing" table on the Summary sheet of a fixed copy.

Written after ``annotate.write_annotated`` has made the Summary, to the right of its
lists and below its chart, so the annotate package needs no knowledge of fixing.
"""
from __future__ import annotations

from openpyxl.styles import Font, PatternFill

HEADER_FILL = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
FIRST_COL, FIRST_ROW = 7, 24  # column G, under the Summary's chart (anchored at G5)


def write_before_after(wb, result) -> None:
    """Cells changed per fix, then findings per rule before and after, on the Summary sheet."""
    ws = wb["Summary"]
    col, row = FIRST_COL, FIRST_ROW
    ws.cell(row=row, column=col, value="Before / after fixing").font = Font(bold=True, size=12)
    before, after = len(result.before.findings), len(result.after.findings)
    facts = [("Cells changed", len(result.changes)), ("Findings before", before), ("Findings after", after)]
    for fix, n in per_fix(result.changes).items():
        facts.append((f"  {fix}", n))
    if result.not_applied:
        facts.append(("Cells left alone", len(result.not_applied)))
    for i, (k, v) in enumerate(facts, start=row + 1):
        ws.cell(row=i, column=col, value=k).font = Font(bold=True)
        ws.cell(row=i, column=col + 1, value=v)
    row += len(facts) + 2
    for j, title in enumerate(("Code", "Before", "After", "Change", "Message")):
        c = ws.cell(row=row, column=col + j, value=title)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    for i, r in enumerate(result.counts.itertuples(index=False), start=row + 1):
        for j, v in enumerate((r.code, r.before, r.after, r.change, r.message)):
            ws.cell(row=i, column=col + j, value=v)
    for letter, width in zip("GHIJK", (22, 10, 10, 10, 80)):
        ws.column_dimensions[letter].width = width


def per_fix(found) -> dict[str, int]:
    """Cells changed by each fix (a cell changed by two fixes counts for both)."""
    if not len(found):
        return {}
    return found["fix"].str.split("+").explode().value_counts().to_dict()
