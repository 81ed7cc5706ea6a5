"""What the built add-in's VBA does when things go wrong, and where it takes its settings from.

These read the VBA as olevba decodes it from the built file. Whether Excel then shows the
messages, and ignores a workbook's own xl_validator.conf, needs a real Excel to confirm.
"""
import re
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from xl_validator.addin import build, build_addin, harden, package

CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture(scope="module")
def macros(built) -> dict[str, str]:
    parser = VBA_Parser(str(built))
    try:
        return {stream.split("/")[-1]: code.replace("\r\n", "\n") for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def _procedure(code: str, head: str) -> str:
    found = re.search(rf"^[^\n']*{head}.*?^End (Sub|Function)$", code, re.DOTALL | re.MULTILINE)
    assert found, head
    return found.group(0)


def test_every_ribbon_callback_turns_a_vba_error_into_a_plain_message(built, macros):
    with zipfile.ZipFile(built) as z:
        ribbon = ET.fromstring(z.read("customUI/customUI.xml"))
    labels = {b.get("onAction").split(".")[1]: b.get("label") for b in ribbon.iter(f"{CUSTOMUI}button")}
    code = macros["XlValidator"]
    callbacks = re.findall(r"^Public Sub (\w+)\(control As IRibbonControl\)", code, re.MULTILINE)
    assert sorted(callbacks) == sorted(labels)
    for sub, label in labels.items():
        body = _procedure(code, rf"Public Sub {sub}\(").splitlines()
        # the handler is armed before anything else runs, and the normal path leaves before it
        assert body[1].strip() == "On Error GoTo Failed", sub
        assert body.index("    Exit Sub") < body.index("Failed:") < len(body) - 1, sub
        assert body[body.index("Failed:") + 1].strip() == f'ExplainError "{label}"', sub


def test_error_messages_say_what_happened_and_what_to_do(macros):
    explain = _procedure(macros["XlValidator"], r"Private Sub ExplainError\(")
    assert "Err.Number" in explain and "Err.Description" in explain
    # each Case: the error numbers, then the advice (joined across VBA line continuations)
    cases = {}
    for block in re.split(r"\n\s+Case ", explain.split("End Select")[0])[1:]:
        numbers, body = block.split("\n", 1)
        cases[numbers.strip()] = " ".join(re.findall(r'"([^"]*)"', body))
    blocked = cases["429, -2147024891, 70"]      # WScript.Shell refused; cmd.exe denied (0x80070005)
    assert "Defender" in blocked and "cmd.exe" in blocked and "What IT needs to allow" in blocked
    missing = next(text for numbers, text in cases.items() if numbers.startswith("53"))
    assert "addin install" in missing
    assert "addin status" in cases["Else"]
    assert re.search(r"MsgBox ButtonLabel & .*errText.*errNumber", explain, re.DOTALL)


def test_protected_view_is_named_before_the_missing_workbook(macros):
    check = _procedure(macros["XlValidator"], r"Private Function ReturnIsOpen\(")
    assert check.index("InProtectedView()") < check.index("ActiveWorkbook Is Nothing")
    assert "Enable Editing" in check
    protected = _procedure(macros["XlValidator"], r"Private Function InProtectedView\(")
    assert "On Error Resume Next" in protected and "ActiveProtectedViewWindow" in protected


def test_settings_come_only_from_the_add_in_and_the_users_file(macros):
    code = macros["xlwings"]
    get_config = _procedure(code, r"Function GetConfig\(")
    assert "ActiveWorkbook" not in get_config                      # no xl_validator.conf sheet in the return
    assert "GetDirectoryConfigFilePath" not in get_config          # no xl_validator.conf file beside it
    assert "GetConfigFromSheet(ThisWorkbook)" in get_config        # the add-in's own sheet
    assert "GetConfigFilePath()" in get_config                     # the user's settings file
    run_python = _procedure(code, r"Public Function RunPython\(")
    assert "ADD_WORKBOOK_TO_PYTHONPATH" not in code                # the return's folder is not imported from
    assert not re.search(r"^\s*uses_embedded_code = True\s*$", run_python, re.MULTILINE)   # never set: no embedded code
    assert "Could not find Interpreter!" not in code


def test_a_changed_xlwings_stops_the_build_instead_of_reopening_a_route():
    import xlwings

    shipped = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    assert harden.harden(shipped) != shipped
    for change in harden.CHANGES:
        broken = re.sub(change.pattern, "", shipped, count=1)
        with pytest.raises(harden.XlwingsChanged, match=re.escape(change.why)):
            harden.harden(broken, "9.9")


@pytest.mark.parametrize("namespace, relationship, part", [
    ("http://schemas.microsoft.com/office/2006/01/customui",
     "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility", "customUI/customUI.xml"),
    ("http://schemas.microsoft.com/office/2009/07/customui",
     "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility", "customUI/customUI14.xml"),
])
def test_ribbon_relationship_follows_its_namespace(tmp_path, namespace, relationship, part):
    sources = tmp_path / "src"
    sources.mkdir()
    (sources / "XlValidator.bas").write_text((build.SOURCES / "XlValidator.bas").read_text(encoding="utf-8"))
    (sources / "customUI.xml").write_text(f'<customUI xmlns="{namespace}"><ribbon/></customUI>')
    with zipfile.ZipFile(build_addin(tmp_path / "a.xlam", sources=sources)) as z:
        rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(z.read("_rels/.rels"))}
        assert rels[relationship] == part and part in z.namelist()
        assert len([t for t in rels if t.endswith("/ui/extensibility")]) == 1


def test_xlwings_own_add_in_uses_the_same_pairing():
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "addin" / "xlwings.xlam") as z:
        namespace = ET.fromstring(z.read("customUI/customUI.xml")).tag[1:].split("}")[0]
        rels = {r.get("Type"): r.get("Target") for r in ET.fromstring(z.read("_rels/.rels"))}
    relationship, part = package.RIBBONS[namespace]
    assert rels[relationship] == part


def test_a_ribbon_in_an_unknown_namespace_is_refused(tmp_path):
    with pytest.raises(ValueError, match="customUI"):
        package.ribbon_relationship('<customUI xmlns="http://example.org/ui"/>')
