"""addin build|install|remove|status through a parser built here, in temporary folders."""
import argparse
import locale
import sys
import zipfile

import pytest

from xl_validator.addin import add_commands, install


def run(*argv) -> int:
    p = argparse.ArgumentParser(prog="xl-validator")
    add_commands(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(list(argv))
    return args.func(args)


def test_build_command_writes_the_add_in(tmp_path, capsys):
    out = tmp_path / "sub" / "903.xlam"
    assert run("addin", "build", str(out), "--interpreter-mac", "/opt/py/bin/python3") == 0
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as z:
        assert "/opt/py/bin/python3" in z.read("xl/worksheets/sheet1.xml").decode()
    assert str(out) in capsys.readouterr().out


def test_install_status_remove_cycle(tmp_path, capsys):
    folder = tmp_path / "XLSTART"
    assert run("addin", "status", "--dir", str(folder)) == 1
    assert "not installed" in capsys.readouterr().out

    assert run("addin", "install", "--dir", str(folder), "--no-config") == 0
    assert zipfile.is_zipfile(folder / "xl_validator.xlam")
    capsys.readouterr()

    (folder / "xlwings.xlam").write_bytes(b"")
    assert run("addin", "status", "--dir", str(folder)) == 0
    said = capsys.readouterr().out
    assert f"installed at {folder / 'xl_validator.xlam'}" in said
    assert "xlwings add-in is also there" in said

    assert run("addin", "remove", "--dir", str(folder)) == 0
    assert not (folder / "xl_validator.xlam").exists()
    assert (folder / "xlwings.xlam").exists()           # xlwings' add-in is not ours to remove
    assert run("addin", "remove", "--dir", str(folder)) == 1
    assert "not installed" in capsys.readouterr().out


def test_install_copies_a_prebuilt_file(tmp_path):
    built = tmp_path / "built.xlam"
    run("addin", "build", str(built))
    assert run("addin", "install", "--dir", str(tmp_path / "d"), "--file", str(built), "--no-config") == 0
    assert (tmp_path / "d" / "xl_validator.xlam").read_bytes() == built.read_bytes()


def test_install_points_the_add_in_at_this_python(tmp_path, monkeypatch, capsys):
    conf = tmp_path / ".xl_validator" / "xl_validator.conf"
    conf.parent.mkdir()
    conf.write_text('"SHOW CONSOLE","True"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n')
    monkeypatch.setattr(install, "interpreter_key", lambda: "INTERPRETER_WIN")
    assert run("addin", "install", "--dir", str(tmp_path / "d"), "--config-file", str(conf)) == 0
    assert conf.read_text().splitlines() == ['"SHOW CONSOLE","True"', f'"INTERPRETER_WIN","{sys.executable}"']


def test_build_without_a_path_writes_the_add_in_here(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run("addin", "build") == 0
    assert zipfile.is_zipfile(tmp_path / "xl_validator.xlam")
    assert "xl_validator.xlam" in capsys.readouterr().out


ZOE = "C:\\Users\\Zo\u00eb\\xl_validator_env\\Scripts\\python.exe"


def _system_encoding(monkeypatch, encoding):
    monkeypatch.setattr(locale, "getencoding", lambda: encoding, raising=False)
    monkeypatch.setattr(locale, "getpreferredencoding", lambda do_setlocale=True: encoding)


def test_windows_settings_file_is_in_the_ansi_code_page_with_crlf(tmp_path, monkeypatch):
    # VBA's Input # reads the file in the ANSI code page: a UTF-8 "\u00eb" would read back as two letters.
    _system_encoding(monkeypatch, "cp1252")
    conf = tmp_path / "xl_validator.conf"
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n')
    install.set_user_config(conf, "INTERPRETER_WIN", ZOE, platform="win32")
    data = conf.read_bytes()
    assert data == b'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","' + ZOE.encode("cp1252") + b'"\r\n'
    assert b"Zo\xeb" in data and b"\xc3" not in data
    install.set_user_config(conf, "INTERPRETER_WIN", ZOE, platform="win32")   # replacing keeps one line
    assert conf.read_bytes() == data


def test_macos_settings_file_is_utf8_with_lf(tmp_path, monkeypatch):
    _system_encoding(monkeypatch, "utf-8")
    conf = tmp_path / "xl_validator.conf"
    install.set_user_config(conf, "INTERPRETER_MAC", "/Users/zo\u00eb/env/bin/python", platform="darwin")
    assert conf.read_bytes() == '"INTERPRETER_MAC","/Users/zo\u00eb/env/bin/python"\n'.encode("utf-8")


def test_earlier_utf8_settings_file_is_read_and_rewritten_in_the_code_page(tmp_path, monkeypatch):
    _system_encoding(monkeypatch, "cp1252")
    conf = tmp_path / "xl_validator.conf"
    conf.write_bytes('"PYTHONPATH","C:\\Users\\Zo\u00eb\\lib"\n'.encode("utf-8"))
    install.set_user_config(conf, "INTERPRETER_WIN", ZOE, platform="win32")
    assert conf.read_bytes().split(b"\r\n")[0] == b'"PYTHONPATH","C:\\Users\\Zo\xeb\\lib"'


def test_a_path_the_code_page_cannot_hold_is_refused_with_the_reason(tmp_path, monkeypatch, capsys):
    _system_encoding(monkeypatch, "cp1252")
    conf = tmp_path / "xl_validator.conf"
    with pytest.raises(install.SettingsError, match="cp1252"):
        install.set_user_config(conf, "INTERPRETER_WIN", "C:\\Users\\\u5f20\\python.exe", platform="win32")
    assert not conf.exists()
    monkeypatch.setattr(install, "interpreter_key", lambda: "INTERPRETER_WIN")
    monkeypatch.setattr(install, "settings_file_format", lambda platform=None: ("ascii", "\r\n"))
    monkeypatch.setattr(sys, "executable", "C:\\Users\\Zo\u00eb\\python.exe")
    assert run("addin", "install", "--dir", str(tmp_path / "d"), "--config-file", str(conf)) == 1
    assert "interpreter setting was not written" in capsys.readouterr().err
    assert (tmp_path / "d" / "xl_validator.xlam").is_file() and not conf.exists()


@pytest.mark.parametrize("command", ["install", "remove", "status"])
def test_without_desktop_excel_it_says_so_and_exits_non_zero(command, monkeypatch, capsys):
    monkeypatch.setattr(install, "startup_dir", lambda: None)
    assert run("addin", command) == install.NOT_AVAILABLE
    assert "Desktop Excel is not available" in capsys.readouterr().err


def test_default_folders_follow_excel_and_xlwings(monkeypatch, tmp_path):
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "me"))
    assert install.startup_dir("win32") == tmp_path / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    assert install.user_config_file("win32") == tmp_path / "me" / ".xl_validator" / "xl_validator.conf"
    mac = install.startup_dir("darwin")
    assert mac.parts[-5:] == ("Group Containers", "UBF8T346G9.Office", "User Content", "Startup", "Excel")
    assert install.user_config_file("darwin").parts[-4:] == (
        "Containers", "com.microsoft.Excel", "Data", "xl_validator.conf")
    assert install.startup_dir("linux") is None and install.interpreter_key("linux") is None


def test_set_user_config_creates_then_replaces(tmp_path):
    conf = tmp_path / "a" / "xl_validator.conf"
    install.set_user_config(conf, "INTERPRETER_MAC", "/usr/bin/python3")
    install.set_user_config(conf, "PYTHONPATH", "/x")
    install.set_user_config(conf, "interpreter_mac", "/opt/python3")
    assert conf.read_text().splitlines() == ['"PYTHONPATH","/x"', '"interpreter_mac","/opt/python3"']
