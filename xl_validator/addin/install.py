"""``xl-validator addin build|install|remove|status``.

The add-in goes where ``xlwings addin install`` puts xlwings.xlam: Excel's
per-user startup folder (``Application.StartupPath``), so Excel opens it at start.
Unlike xlwings we do not ask a running Excel for that folder: it is fixed per
platform and installing should work with Excel closed.
"""
from __future__ import annotations

import locale
import os
import sys
from pathlib import Path

from .build import ADDIN_NAME, CONFIG_NAME, build_addin
from .package import write_atomic

NOT_AVAILABLE = 2


def startup_dir(platform: str = sys.platform) -> Path | None:
    """Excel's per-user startup folder, or None where there is no desktop Excel."""
    if platform.startswith("win"):
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Microsoft" / "Excel" / "XLSTART"
    if platform == "darwin":
        return (Path.home() / "Library" / "Group Containers" / "UBF8T346G9.Office"
                / "User Content" / "Startup" / "Excel")
    return None


def user_config_file(platform: str = sys.platform) -> Path | None:
    """Where xlwings' GetConfig looks for the per-user settings of this add-in."""
    if platform.startswith("win"):
        return Path(os.environ.get("USERPROFILE", Path.home())) / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"
    if platform == "darwin":   # Excel is sandboxed: VBA's home folder is its container
        return Path.home() / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{CONFIG_NAME}.conf"
    return None


def interpreter_key(platform: str = sys.platform) -> str | None:
    if platform.startswith("win"):
        return "INTERPRETER_WIN"
    if platform == "darwin":
        return "INTERPRETER_MAC"
    return None


def settings_file_format(platform: str = sys.platform) -> tuple[str, str]:
    """(encoding, line end) of the settings file, as xlwings writes its own ``xlwings.conf``
    (text mode: the system's encoding and line ends). VBA's ``Input #`` reads the file in the
    Windows ANSI code page, so there the code page is used even when Python runs in UTF-8 mode."""
    getencoding = getattr(locale, "getencoding", None)   # Python 3.11+: ignores UTF-8 mode
    encoding = getencoding() if getencoding else locale.getpreferredencoding(False)
    return encoding, "\r\n" if platform.startswith("win") else "\n"


class SettingsError(ValueError):
    """The settings file cannot hold a value in the encoding Excel reads it with."""


def set_user_config(path: Path, key: str, value: str, platform: str = sys.platform) -> Path:
    """Set one ``"KEY","VALUE"`` line (the format VBA's ``Input #`` reads), keeping the others."""
    path = Path(path)
    encoding, newline = settings_file_format(platform)
    lines = []
    if path.exists():
        data = path.read_bytes()
        try:   # an earlier version wrote UTF-8; text in a code page is almost never valid UTF-8
            lines = data.decode("utf-8").splitlines()
        except UnicodeDecodeError:
            lines = data.decode(encoding, errors="replace").splitlines()
    kept = [ln for ln in lines if ln.split(",", 1)[0].strip('"').upper() != key.upper()]
    kept.append(f'"{key}","{value}"')
    try:
        data = (newline.join(kept) + newline).encode(encoding)
    except UnicodeEncodeError as e:
        raise SettingsError(
            f"{path}: {value!r} has a character ({value[e.start:e.end]!r}) that Excel cannot read in this "
            f"system's encoding ({encoding}); install Python in a folder whose path uses only characters "
            "of that encoding, or set the interpreter with 'xl-validator addin build --interpreter-win'") from None
    return write_atomic(path, data)


def _target_dir(args) -> Path | None:
    if args.dir:
        return Path(args.dir)
    found = startup_dir()
    if found is None:
        print(f"Desktop Excel is not available on this system ({sys.platform}): the add-in runs in "
              "Excel for Windows or macOS. Build it here with 'xl-validator addin build' and "
              "install it on the analyst's machine, or use --dir FOLDER to choose a folder. "
              "Without desktop Python, see 'xl-validator lite build'.", file=sys.stderr)
    return found


def install(target_dir: Path, source: Path | None = None) -> Path:
    """Put the add-in into ``target_dir``: a copy of ``source``, or a fresh build."""
    target = Path(target_dir) / ADDIN_NAME
    if source is None:
        return build_addin(target)
    return write_atomic(target, Path(source).read_bytes())


def remove(target_dir: Path) -> bool:
    """Delete the installed add-in; False if it was not there."""
    target = Path(target_dir) / ADDIN_NAME
    if not target.exists():
        return False
    target.unlink()
    return True


def status(target_dir: Path) -> dict[str, object]:
    """Where the add-in is or would go, and whether what it relies on is there too."""
    import xlwings

    target_dir = Path(target_dir)
    applescript = (Path.home() / "Library" / "Application Scripts" / "com.microsoft.Excel"
                   / f"xlwings-{xlwings.__version__}.applescript")
    return {
        "addin": target_dir / ADDIN_NAME,
        "installed": (target_dir / ADDIN_NAME).is_file(),
        "xlwings_addin": (target_dir / "xlwings.xlam").is_file(),
        "applescript": applescript if sys.platform == "darwin" else None,
        "applescript_installed": applescript.is_file() if sys.platform == "darwin" else None,
        "config": user_config_file(),
    }


def cmd_build(args) -> int:
    out = build_addin(Path(args.out or ADDIN_NAME), interpreter_win=args.interpreter_win,
                      interpreter_mac=args.interpreter_mac)
    print(f"Built {out}")
    return 0


def cmd_install(args) -> int:
    target_dir = _target_dir(args)
    if target_dir is None:
        return NOT_AVAILABLE
    try:
        out = install(target_dir, Path(args.file) if args.file else None)
    except PermissionError as e:
        print(f"Could not write {e.filename}: if Excel is open, quit it and try again.", file=sys.stderr)
        return 1
    print(f"Installed {out}. Restart Excel to see the '903 Validator' tab.")
    if args.no_config:
        return 0
    config = Path(args.config_file) if args.config_file else user_config_file()
    key = interpreter_key()
    if config is None or key is None:
        print("The interpreter setting was not written: there is no desktop Excel on this system.")
        return 0
    try:
        set_user_config(config, key, sys.executable)
    except SettingsError as e:
        print(f"The add-in is installed, but the interpreter setting was not written: {e}", file=sys.stderr)
        return 1
    print(f"Set {key} to {sys.executable} in {config} (the Python the buttons will run).")
    return 0


def cmd_remove(args) -> int:
    target_dir = _target_dir(args)
    if target_dir is None:
        return NOT_AVAILABLE
    try:
        removed = remove(target_dir)
    except PermissionError:
        print(f"Could not delete {Path(target_dir) / ADDIN_NAME}: if Excel is open, quit it and try again.",
              file=sys.stderr)
        return 1
    if not removed:
        print(f"The add-in is not installed (nothing at {Path(target_dir) / ADDIN_NAME}).")
        return 1
    print(f"Removed {Path(target_dir) / ADDIN_NAME}. The settings file, if any, is kept.")
    return 0


def cmd_status(args) -> int:
    target_dir = _target_dir(args)
    if target_dir is None:
        return NOT_AVAILABLE
    s = status(target_dir)
    if s["installed"]:
        print(f"The 903 Validator add-in is installed at {s['addin']}")
    else:
        print(f"The 903 Validator add-in is not installed; 'xl-validator addin install' puts it at {s['addin']}")
    print("The xlwings add-in is " + ("also there." if s["xlwings_addin"] else
                                     "not there (not needed to run ours; 'xlwings addin install' adds it)."))
    if s["applescript"] is not None:
        print(f"xlwings' RunPython AppleScript {'is' if s['applescript_installed'] else 'is NOT'} at "
              f"{s['applescript']}" + ("" if s["applescript_installed"] else
                                       " — run 'xlwings runpython install'"))
    if s["config"] is not None:
        print(f"Settings file: {s['config']}" + ("" if Path(s["config"]).exists() else " (not created yet)"))
    return 0 if s["installed"] else 1


def add_commands(subparsers) -> None:
    """Register ``addin build|install|remove|status`` on the CLI's subparsers."""
    addin = subparsers.add_parser("addin", help="the Excel desktop add-in (903 Validator ribbon tab)")
    sub = addin.add_subparsers(dest="addin_command", required=True)

    b = sub.add_parser("build", help="write xl_validator.xlam from the text sources")
    b.add_argument("out", nargs="?", help=f"where to write the .xlam (default: {ADDIN_NAME} in this folder)")
    b.add_argument("--interpreter-win", help="python.exe to run on Windows, baked into the add-in")
    b.add_argument("--interpreter-mac", help="python to run on macOS, baked into the add-in")
    b.set_defaults(func=cmd_build)

    folder_help = "folder to use instead of Excel's startup folder"
    i = sub.add_parser("install", help="build the add-in into Excel's startup folder and point it at this Python")
    i.add_argument("--dir", help=folder_help)
    i.add_argument("--file", help="install this already built .xlam instead of building one")
    i.add_argument("--config-file", help="settings file to write the interpreter into")
    i.add_argument("--no-config", action="store_true", help="do not write the interpreter setting")
    i.set_defaults(func=cmd_install)

    r = sub.add_parser("remove", help="delete the add-in from Excel's startup folder")
    r.add_argument("--dir", help=folder_help)
    r.set_defaults(func=cmd_remove)

    s = sub.add_parser("status", help="say where the add-in is and whether xlwings' parts are there")
    s.add_argument("--dir", help=folder_help)
    s.set_defaults(func=cmd_status)
