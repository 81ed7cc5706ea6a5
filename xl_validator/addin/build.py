"""Build ``xl_validator.xlam`` from the text sources shipped in ``sources/`` and xlwings' own VBA."""
from __future__ import annotations

from pathlib import Path

from . import cfb, harden, ovba, package

# Package data, so a wheel install (what IT deploys) can build the add-in without the source tree.
SOURCES = Path(__file__).resolve().parent / "sources"
ADDIN_NAME = "xl_validator.xlam"
# The VBA project may not share a name with a module (XlValidator), hence "Addin".
PROJECT = "XlValidatorAddin"
# Fixed, so two builds of the same sources are byte for byte the same.
PROJECT_ID = "{5E2F6A1C-903D-4B7A-9C1E-0D903A11A903}"
# xlwings' PROJECT_NAME: its GetConfig reads the add-in's own sheet "xl_validator.conf" and
# the file %USERPROFILE%\.xl_validator\xl_validator.conf (macOS: xl_validator.conf in
# Excel's sandbox home) instead of xlwings' own; harden.py removes every other place.
CONFIG_NAME = "xl_validator"
CONFIG_KEYS = ("Interpreter_Win", "Interpreter_Mac", "PYTHONPATH", "Conda Path", "Conda Env", "Show Console")
_XLWINGS_PROJECT_LINE = 'Public Const PROJECT_NAME As String = "myaddin"'


def xlwings_modules() -> list[ovba.Module]:
    """RunPython and its helpers, taken from the installed xlwings so they match its Python side,
    narrowed by ``harden`` to read settings only from the add-in and the user's file."""
    import xlwings

    root = Path(xlwings.__file__).resolve().parent
    text = (root / "xlwings_custom_addin.bas").read_text(encoding="utf-8")
    if _XLWINGS_PROJECT_LINE not in text:
        raise RuntimeError(f"xlwings {xlwings.__version__}: xlwings_custom_addin.bas no longer has "
                           f"{_XLWINGS_PROJECT_LINE!r}; the add-in build needs updating")
    text = text.replace(_XLWINGS_PROJECT_LINE, f'Public Const PROJECT_NAME As String = "{CONFIG_NAME}"')
    text = harden.harden(text, xlwings.__version__)
    # On macOS GetConfigFromSheet uses this class instead of Scripting.Dictionary.
    dictionary = (root / "addin" / "Dictionary.cls").read_text(encoding="utf-8")
    return [ovba.standard_module(text), ovba.class_module(dictionary)]


def addin_modules(sources: Path = SOURCES) -> list[ovba.Module]:
    """Workbook and sheet code-behind, our .bas modules, then xlwings' modules."""
    own = [ovba.standard_module(p.read_text(encoding="utf-8")) for p in sorted(Path(sources).glob("*.bas"))]
    if not own:
        raise FileNotFoundError(f"no .bas modules in {sources}")
    return [ovba.document_module("ThisWorkbook", ovba.WORKBOOK_BASE),
            ovba.document_module("Sheet1", ovba.SHEET_BASE), *own, *xlwings_modules()]


def vba_project_bin(modules: list[ovba.Module]) -> bytes:
    return cfb.write_cfb(ovba.vba_project(PROJECT, PROJECT_ID, modules))


def config_sheet(interpreter_win: str | None, interpreter_mac: str | None) -> tuple[str, list[tuple[str, str]]]:
    """With an interpreter given, an active config sheet holding just that; otherwise
    a template named with a leading underscore, which xlwings ignores (as in its own add-ins)."""
    chosen = [(k, v) for k, v in (("Interpreter_Win", interpreter_win), ("Interpreter_Mac", interpreter_mac)) if v]
    if chosen:
        return f"{CONFIG_NAME}.conf", chosen
    return f"_{CONFIG_NAME}.conf", [(k, "") for k in CONFIG_KEYS]


def build_addin(out_path, *, interpreter_win: str | None = None, interpreter_mac: str | None = None,
                sources: Path = SOURCES) -> Path:
    """Write the add-in to ``out_path`` (atomically) and return its path.

    ``interpreter_win`` / ``interpreter_mac`` bake the Python to run into the add-in,
    for IT rolling out one known location; they override the per-user config file.
    """
    sources = Path(sources)
    ribbon = (sources / "customUI.xml").read_text(encoding="utf-8")
    sheet_name, rows = config_sheet(interpreter_win, interpreter_mac)
    parts = package.package_parts(vba_project_bin(addin_modules(sources)), ribbon, sheet_name, rows)
    return package.write_atomic(Path(out_path), package.zip_bytes(parts))
