"""xl_validator in xlwings Lite: paste this into the main.py tab of xlwings Lite, and the
requirements.txt written beside it by 'xl-validator lite build' into the requirements.txt tab.

Validate checks the 903 sheets of this workbook against the DfE rules, fills every wrong cell
and adds Errors and Summary sheets; Clear puts everything back as it was. Next / Previous error
move the selection between flagged cells. Fix lists the safe mechanical corrections on a
'Fix preview' sheet, Apply fixes makes them (logged on a 'Fix log' sheet) and Undo fixes
puts the cells back. Dashboard builds a sheet of figures for leadership (children looked
after, placements, stability, care leavers) with the data quality beside them. Everything
runs inside Excel: no data leaves it.
Last year's return and Ofsted lists are files, which xlwings Lite cannot open: the rules that
need them are reported as skipped on the Summary sheet.
"""
import xlwings as xw

from xl_validator.excel import clear_book, next_error, previous_error, run_with_alerts, validate_book
from xl_validator.excel.child import check_child, child_text
from xl_validator.excel.dashboard import dashboard_book
from xl_validator.excel.messages import alert, done_text
from xl_validator.excel.fixing import apply_command, fix_command, undo_command


@xw.script
def validate(book: xw.Book):
    """Check this workbook's 903 sheets and mark the errors."""
    report = run_with_alerts(book, validate_book)
    if report is not None:
        alert(book, done_text(report))


@xw.script
def check_this_child(book: xw.Book):
    """Re-check the child of the selected row and show its findings."""
    done = run_with_alerts(book, check_child)
    if done is not None:
        alert(book, child_text(*done))


@xw.script
def dashboard(book: xw.Book):
    """Build the Dashboard sheet: the return's figures for leadership, with its data quality."""
    board = run_with_alerts(book, dashboard_book)
    if board is not None:
        alert(book, f"Dashboard built for {board.year}: hover over a figure's title, or see the list below "
                    "the figures, for what each one counts.")


@xw.script
def clear(book: xw.Book):
    """Remove xl_validator's marks and sheets, restoring the cells as they were."""
    run_with_alerts(book, clear_book)


@xw.script
def next_flagged_cell(book: xw.Book):
    """Select the next flagged cell."""
    run_with_alerts(book, next_error)


@xw.script
def previous_flagged_cell(book: xw.Book):
    """Select the previous flagged cell."""
    run_with_alerts(book, previous_error)


@xw.script
def fix(book: xw.Book):
    """List the safe fixes on a 'Fix preview' sheet; nothing changes until Apply fixes."""
    fix_command(book)


@xw.script
def apply_fixes(book: xw.Book):
    """Make the changes listed on the 'Fix preview' sheet and check the workbook again."""
    apply_command(book)


@xw.script
def undo_fixes(book: xw.Book):
    """Put every cell on the 'Fix log' sheet back as it was."""
    undo_command(book)
