Attribute VB_Name = "XlValidator"
' The ribbon buttons of the 903 Validator tab (customUI.xml names these callbacks).
' Each one hands over to Python through RunPython, which lives in the "xlwings"
' module of this add-in: it starts the interpreter named by INTERPRETER_WIN or
' INTERPRETER_MAC (see install/README.md) and runs one function of
' xl_validator.excel.desktop against the active workbook.
'
' Every callback has the same shape, so a new button is one more copy of it:
'     On Error GoTo Failed
'     If ReturnIsOpen() Then RunPython "..."
'     Exit Sub
' Failed:
'     ExplainError "<button label>"
' A VBA error then becomes a message in plain words instead of a dialog with a
' Debug button.
Option Explicit

Private Const TITLE As String = "903 Validator"

Private Function InProtectedView() As Boolean
    ' Late bound, so a version of Excel without ActiveProtectedViewWindow (Excel for Mac)
    ' still compiles this module; there the call fails and the answer stays False.
    Dim app As Object
    On Error Resume Next
    Set app = Application
    InProtectedView = Not (app.ActiveProtectedViewWindow Is Nothing)
End Function

Private Function ReturnIsOpen() As Boolean
    ' RunPython reads ActiveWorkbook.Name, so say so plainly instead of failing inside it.
    ReturnIsOpen = False
    If InProtectedView() Then
        MsgBox "This workbook is open in Protected View, where add-ins cannot read it." & vbNewLine & vbNewLine & _
               "Click Enable Editing in the yellow bar at the top of the workbook, then press the button again.", _
               vbInformation, TITLE
    ElseIf ActiveWorkbook Is Nothing Then
        MsgBox "Open your 903 return workbook first, then press the button again.", vbInformation, TITLE
    Else
        ReturnIsOpen = True
    End If
End Function

Private Sub ExplainError(ButtonLabel As String)
    ' Called from a callback's error handler, while Err still describes what went wrong.
    Dim errNumber As Long, errText As String, advice As String
    errNumber = Err.Number
    errText = Err.Description
    Select Case errNumber
        Case 429, -2147024891, 70
            ' 429: CreateObject("WScript.Shell") refused; 70 / 0x80070005: starting cmd.exe was denied.
            advice = "Windows did not let Excel start Python. Your organisation may block Office from " & _
                     "starting other programs (the Defender rule 'Block all Office applications from " & _
                     "creating child processes' stops cmd.exe, which the add-in uses) or block " & _
                     "WScript.Shell. Ask IT to allow it for this add-in: see 'What IT needs to allow' " & _
                     "in the 903 Validator install guide."
        Case 53, 76, -2147024894, -2147024893
            advice = "A file or folder the add-in needs was not found, usually the Python it runs. " & _
                     "Run 'xl-validator addin install' again from the Python that has the validator, " & _
                     "or ask whoever installed it to check the INTERPRETER setting."
        Case Else
            advice = "Try again. If it happens again, run 'xl-validator addin status' and send this " & _
                     "message to whoever supports the 903 Validator."
    End Select
    MsgBox ButtonLabel & " could not run: " & errText & " (error " & errNumber & ")." & _
           vbNewLine & vbNewLine & advice, vbExclamation, TITLE
End Sub

Public Sub OnValidate(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.validate()"
    Exit Sub
Failed:
    ExplainError "Validate"
End Sub

Public Sub OnCheckChild(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.check_child()"
    Exit Sub
Failed:
    ExplainError "Check this child"
End Sub

Public Sub OnDashboard(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.dashboard()"
    Exit Sub
Failed:
    ExplainError "Dashboard"
End Sub

Public Sub OnClear(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.clear()"
    Exit Sub
Failed:
    ExplainError "Clear"
End Sub

Public Sub OnNextError(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.next_error()"
    Exit Sub
Failed:
    ExplainError "Next error"
End Sub

Public Sub OnPreviousError(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.previous_error()"
    Exit Sub
Failed:
    ExplainError "Previous error"
End Sub

Public Sub OnFix(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.fix()"
    Exit Sub
Failed:
    ExplainError "Fix"
End Sub

Public Sub OnApplyFixes(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.apply_fixes()"
    Exit Sub
Failed:
    ExplainError "Apply fixes"
End Sub

Public Sub OnUndoFixes(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.undo_fixes()"
    Exit Sub
Failed:
    ExplainError "Undo fixes"
End Sub

Public Sub OnSettings(control As IRibbonControl)
    On Error GoTo Failed
    If ReturnIsOpen() Then RunPython "import xl_validator.excel.desktop as d; d.settings()"
    Exit Sub
Failed:
    ExplainError "Settings"
End Sub
