"""The built xl_validator.xlam: its VBA decodes to our sources, its package is an add-in with our ribbon.

Set XL_VALIDATOR_ADDIN to a file made by ``xl-validator addin build`` to check that file
instead of one built here (CI does this from a wheel installed outside the source tree).
"""
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser

from xl_validator.addin import build, build_addin, harden, package

SOURCES = build.SOURCES
CUSTOMUI = "{http://schemas.microsoft.com/office/2006/01/customui}"
BUTTONS = {"Validate": "validate", "Check this child": "check_child", "Clear": "clear", "Next error": "next_error",
           "Previous error": "previous_error", "Fix": "fix", "Apply fixes": "apply_fixes",
           "Undo fixes": "undo_fixes", "Settings": "settings", "Dashboard": "dashboard"}


def _macros(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {stream.split("/")[-1]: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def test_olevba_decodes_exactly_the_source_of_every_module(built):
    found = _macros(built)
    expected = {m.name: m.source for m in build.addin_modules()}
    assert set(found) == set(expected) == {"ThisWorkbook", "Sheet1", "XlValidator", "xlwings", "Dictionary"}
    for name, source in expected.items():
        assert found[name] == source, name


def test_our_module_is_the_bas_file_as_written(built):
    text = (SOURCES / "XlValidator.bas").read_text(encoding="utf-8")
    assert _macros(built)["XlValidator"].replace("\r\n", "\n") == text.rstrip("\n") + "\n"


def test_xlwings_module_comes_from_the_installed_xlwings_configured_for_us(built):
    import xlwings

    code = _macros(built)["xlwings"]
    shipped = (Path(xlwings.__file__).parent / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    assert 'Public Const PROJECT_NAME As String = "xl_validator"' in code
    assert f'Public Const XLWINGS_VERSION As String = "{xlwings.__version__}"' in code
    assert "Public Function RunPython(PythonCommand As String)" in code
    expected = harden.harden(shipped.replace('"myaddin"', '"xl_validator"'))
    assert code.replace("\r\n", "\n") == expected.rstrip("\n") + "\n"


def test_every_ribbon_button_calls_python_through_a_callback(built):
    with zipfile.ZipFile(built) as z:
        ribbon = ET.fromstring(z.read("customUI/customUI.xml"))
    tabs = ribbon.findall(f".//{CUSTOMUI}tab")
    assert [t.get("label") for t in tabs] == ["903 Validator"]
    buttons = {b.get("label"): b for b in ribbon.iter(f"{CUSTOMUI}button")}
    assert set(buttons) == set(BUTTONS)
    code = _macros(built)["XlValidator"]
    for label, func in BUTTONS.items():
        b = buttons[label]
        assert b.get("imageMso") and b.get("screentip") and b.get("supertip"), label
        module, sub = b.get("onAction").split(".")
        assert module == "XlValidator"
        body = re.search(rf"Public Sub {sub}\(control As IRibbonControl\)\r\n(.*?)End Sub", code, re.DOTALL)
        assert body, f"no callback {sub}(control As IRibbonControl)"
        assert f'RunPython "import xl_validator.excel.desktop as d; d.{func}()"' in body.group(1)


def test_package_is_a_macro_enabled_add_in_with_the_right_relationships(built):
    with zipfile.ZipFile(built) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert z.testzip() is None
        types = ET.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
        assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"

        def rels(part):
            return {r.get("Type"): r.get("Target") for r in ET.fromstring(z.read(part))}
        root = rels("_rels/.rels")
        assert root[package.REL_DOCUMENT] == "xl/workbook.xml"
        # the ribbon's namespace (2006/01) goes with the 2006 relationship type, as in xlwings.xlam
        assert root["http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"] == "customUI/customUI.xml"
        assert "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" not in root
        book = rels("xl/_rels/workbook.xml.rels")
        assert book["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
        for target in (*root.values(), *("xl/" + t for t in book.values())):
            assert target in z.namelist()
        # the document modules in the VBA project are the workbook's and the sheet's code names
        assert b'codeName="ThisWorkbook"' in z.read("xl/workbook.xml")
        assert b'codeName="Sheet1"' in z.read("xl/worksheets/sheet1.xml")
        assert b'name="_xl_validator.conf"' in z.read("xl/workbook.xml")   # template, ignored by xlwings


def test_interpreter_can_be_baked_into_the_config_sheet(tmp_path):
    out = build_addin(tmp_path / "a.xlam", interpreter_win=r"C:\Python312\python.exe")
    with zipfile.ZipFile(out) as z:
        assert b'name="xl_validator.conf"' in z.read("xl/workbook.xml")
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "Interpreter_Win" in sheet and r"C:\Python312\python.exe" in sheet
    assert "Interpreter_Mac" not in sheet    # an empty value would hide the user's own setting


def test_build_is_reproducible_and_atomic(tmp_path, built):
    again = build_addin(tmp_path / "again.xlam")
    assert again.read_bytes() == built.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["again.xlam"]   # no temporary file left


def test_build_fails_cleanly_without_sources(tmp_path):
    (tmp_path / "customUI.xml").write_text("<customUI/>")
    with pytest.raises(FileNotFoundError):
        build_addin(tmp_path / "x.xlam", sources=tmp_path)
    assert not (tmp_path / "x.xlam").exists()


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not on PATH; CI installs it, a fresh machine may not")
def test_libreoffice_opens_it_and_reads_the_vba(built, tmp_path):
    # LibreOffice does not pick a filter for .xlam by itself; the Excel 2007+ VBA filter reads it.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", "ods", "--outdir", str(tmp_path), str(built)],
        check=False, capture_output=True, text=True, timeout=240)
    out = tmp_path / "xl_validator.ods"
    assert out.is_file(), result.stdout + result.stderr
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        # LibreOffice decoded the VBA project on its own: one Basic module per VBA module
        for module in ("XlValidator", "xlwings", "Dictionary", "ThisWorkbook", "Sheet1"):
            assert f"Basic/{build.PROJECT}/{module}.xml" in names
        basic = z.read(f"Basic/{build.PROJECT}/XlValidator.xml").decode()
        content = z.read("content.xml").decode()
    assert "d.validate()" in basic
    assert "Interpreter_Win" in content
