"""Narrow xlwings' custom-add-in VBA to what the 903 Validator needs.

xlwings' ``GetConfig`` also takes settings from a ``<project>.conf`` sheet in the
active workbook and a ``<project>.conf`` file beside it, puts the workbook's folder
first on Python's import path, and runs Python code embedded in a workbook's ``*.py``
sheets. A return received by e-mail, or a file dropped next to it on a shared drive,
could then choose the program the Validate button starts. Each change below removes
one of those routes; the add-in reads its settings only from its own sheet and the
user's settings file. A change whose text is no longer in xlwings stops the build,
so a new xlwings cannot quietly bring a route back.
"""
from __future__ import annotations

import re
from typing import NamedTuple


class Change(NamedTuple):
    why: str
    pattern: str      # a regular expression over xlwings' text (LF line ends)
    replacement: str
    count: int        # how often it must match


CHANGES = (
    Change("no settings from a sheet of the workbook being checked",
           r"( *)'Workbook Sheet Config\n"
           r" *If SheetExists\(ActiveWorkbook, PROJECT_NAME & \"\.conf\"\) = True Then\n"
           r"(?:.*\n)*? *End If\n *End If\n",
           r"\1' xl_validator: no settings from a sheet of the workbook being checked\n", 1),
    Change("no settings file beside the workbook being checked",
           r"( *)' Directory Config\n(?:.*\n)*?(?= *' User Config\n)",
           r"\1' xl_validator: no settings file beside the workbook being checked\n\n", 1),
    Change("the workbook's folder never goes first on Python's import path",
           r'GetConfig\("ADD_WORKBOOK_TO_PYTHONPATH", "true"\)',
           '"false"', 2),
    Change("no Python code embedded in a workbook's sheets",
           r"( *)' Check for embedded Python code\n *uses_embedded_code = False\n"
           r" *For i = 1 To 2\n(?:.*\n)*? *Next i\n",
           r"\1' xl_validator: never runs Python code embedded in a workbook's sheets\n"
           r"\1uses_embedded_code = False\n", 1),
    Change("a missing interpreter is named, with what to do",
           r'MsgBox "Could not find Interpreter!", vbCritical',
           'MsgBox "Python was not found at " & PYTHON_WIN & "." & vbNewLine & vbNewLine & '
           "\"Run 'xl-validator addin install' again from the Python that has the validator, or "
           'correct INTERPRETER_WIN in " & GetConfigFilePath() & ".", vbCritical, "903 Validator"', 1),
)


class XlwingsChanged(RuntimeError):
    """xlwings' VBA no longer has text this build relies on."""


def harden(text: str, version: str = "?") -> str:
    """xlwings' ``xlwings_custom_addin.bas`` (LF line ends) with every change in ``CHANGES`` made."""
    for change in CHANGES:
        text, made = re.subn(change.pattern, lambda m, c=change: m.expand(c.replacement), text)
        if made != change.count:
            raise XlwingsChanged(f"xlwings {version}: xlwings_custom_addin.bas matched {made} time(s), not "
                                 f"{change.count}, for '{change.why}'; the add-in build needs updating")
    return text
