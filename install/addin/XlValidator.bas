Attribute VB_Name = "XlValidator"
' The ribbon buttons of the 903 Validator tab (customUI.xml names these callbacks).
' Each one hands over to Python through RunPython, which lives in the "xlwings"
' module of this add-in: it starts the interpreter named by INTERPRETER_WIN or
' INTERPRETER_MAC (see install/README.md) and runs one function of
' xl_validator.excel.desktop against the active workbook.
Option Explicit

Private Function ReturnIsOpen() As Boolean
    ' RunPython reads ActiveWorkbook.Name, so say so plainly instead of failing inside it.
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open your 903 return workbook first, then press the button again.", _
               vbInformation, "903 Validator"
        ReturnIsOpen = False
    Else
        ReturnIsOpen = True
    End If
End Function

Public Sub OnValidate(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.validate()"
End Sub

Public Sub OnCheckChild(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.check_child()"
End Sub

Public Sub OnClear(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.clear()"
End Sub

Public Sub OnNextError(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.next_error()"
End Sub

Public Sub OnPreviousError(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.previous_error()"
End Sub

Public Sub OnFix(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.fix()"
End Sub

Public Sub OnApplyFixes(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.apply_fixes()"
End Sub

Public Sub OnUndoFixes(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.undo_fixes()"
End Sub

Public Sub OnSettings(control As IRibbonControl)
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.settings()"
End Sub
