"""Following findings from run to run (identity, new / open since / fixed) and the chase email drafts."""
import sqlite3
from datetime import datetime
from email import policy
from email.parser import BytesParser

import numpy as np
import openpyxl
import pandas as pd
import pytest
from rulecheck import frame

import xl_validator as xv
from xl_validator.cli import main
from xl_validator.read import RawTable
from xl_validator.report import history
from xl_validator.report.followup import follow_up
from xl_validator.report.identity import finding_keys, row_keys
from xl_validator.sample.workbook import write_return_workbook

YEAR = "2025/26"
T1, T2 = datetime(2026, 10, 2, 9, 0), datetime(2026, 11, 6, 9, 0)


def child(c, ethnic="WBRI", sex="M"):
    return {"CHILD": c, "SEX": sex, "DOB": "01/01/2012", "ETHNIC": ethnic, "UPN": "UN1", "MOTHER": ""}


def episode(c, decom="01/04/2025", dec="", rec="", place="U4"):
    return {"CHILD": c, "DECOM": decom, "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": place, "PLACE_PROVIDER": "PR1",
            "DEC": dec, "REC": rec, "HOME_POST": "TW9 1DN", "PL_POST": "TW10 6AA", "URN": "XXXXXXX"}


def review(c, when, code):
    return {"CHILD": c, "DOB": "01/01/2012", "REVIEW": when, "REVIEW_CODE": code}


def sw(c, sw_id):
    return {"CHILD": c, "DOB": "01/01/2012", "SW_ID": sw_id, "SW_DECOM": "01/04/2025", "SW_DEC": "",
            "SW_REASON": "FCONTA"}


def rows():
    """Children A1, B2, C3 with a worker each (C3's has no address), D4 with none; findings on Header,
    Episodes and two Reviews rows with the same CHILD and REVIEW (a duplicate natural key)."""
    return {
        "Header": [child("A1", "XXXX"), child("B2", "Z<i>Z"), child("C3", "QQQQ"), child("D4", "YYYY")],
        "Episodes": [episode("A1", place="ZZ"), episode("B2"), episode("C3", place="Q9"), episode("D4")],
        "Reviews": [review("A1", "01/06/2025", "PN9"), review("A1", "01/06/2025", "PNX"),
                    review("B2", "01/07/2025", "PN1")],
        "SWEpisodes": [sw("A1", "SW200"), sw("B2", "SW300"), sw("C3", "SW400")],
    }


def tables(data):
    return {name: frame(name, r) for name, r in data.items()}


def validate(data):
    return xv.validate(tables(data), year=YEAR, postcodes=None)


def described(report):
    """{identity: (code, child, fields, the row's values)}: what each identity must keep meaning."""
    keys = finding_keys(report.findings, report.tables)
    out = {}
    for key, f in zip(keys, report.findings.itertuples()):
        raw = report.tables[f.table]
        row = tuple(raw.frame.iloc[raw.positions([f.row])[0]])
        out[int(key)] = (f.code, f.child, f.fields, row)
    return out


def test_key_dates_are_compared_as_dates_and_duplicate_keys_stay_distinct():
    raw = RawTable("Missing", pd.DataFrame({"CHILD": [" a1", "A1", "A1", "A1"], "MIS_START": [
        "2025-04-01", "01/04/2025", "02/04/2025", "2/4/2025"], "MISSING": ["M", "A", "M", "M"]}), "t", np.arange(2, 6))
    key, occurrence = row_keys(raw)
    assert key[0] == key[1] and key[2] == key[3]  # same child and date, however typed
    assert sorted(occurrence[:2]) == [0, 1] and sorted(occurrence[2:]) == [0, 1]
    flipped = RawTable("Missing", raw.frame.iloc[::-1].reset_index(drop=True), "t", np.arange(2, 6))
    k2, o2 = row_keys(flipped)
    # each row keeps its number when the rows are reversed (ordered by content, not position)
    assert dict(zip(zip(raw.frame["MIS_START"], raw.frame["MISSING"]), occurrence)) == \
        dict(zip(zip(flipped.frame["MIS_START"], flipped.frame["MISSING"]), o2))


def test_identities_survive_reordering_and_inserted_rows():
    base = validate(rows())
    known = described(base)
    assert len(known) == len(base.findings) >= 6  # unique, even for the two reviews of one date
    dup = [k for k, v in known.items() if v[1] == "A1" and v[0] in base.findings.loc[
        base.findings["table"] == "Reviews", "code"].tolist()]
    assert len(dup) >= 2
    rng = np.random.default_rng(7)
    for _ in range(3):
        shuffled = {name: [r[i] for i in rng.permutation(len(r))] for name, r in rows().items()}
        assert described(validate(shuffled)) == known
    blank = {k: {c: "" for c in v[0]} for k, v in rows().items()}
    grown = {name: [blank[name], *r[:1], blank[name], *r[1:]] for name, r in rows().items()}
    grown["Header"].append(child("E5", "XXXX"))  # a real row with a finding of its own
    grown["Episodes"].insert(0, episode("E5"))
    again = described(validate(grown))
    assert {k: v for k, v in again.items() if v[1] != "E5"} == known
    assert any(v[1] == "E5" for v in again.values())


def test_correcting_one_value_makes_exactly_that_finding_fixed(tmp_path):
    db = tmp_path / "h.sqlite"
    first = validate(rows())
    history.record(first, tmp_path / "903.xlsx", db, at=T1, command="chase",
                   listed_for=pd.Series("", index=first.findings.index))
    data = rows()
    data["Header"][0]["ETHNIC"] = "WBRI"  # A1's ethnicity corrected
    second = validate(data)
    follow = follow_up(db, second)
    assert follow.fixed[["code", "child", "fields"]].values.tolist() == [["103", "A1", "ETHNIC"]]
    assert len(second.findings) == len(first.findings) - 1
    assert (follow.since == pd.Timestamp(T1)).all()  # everything else: open since the first run
    history.record(second, tmp_path / "903.xlsx", db, at=T2)
    third = validate(rows())  # the mistake is back: new again, the others still open since T1
    since = follow_up(db, third).since
    back = (third.findings["code"] == "103") & (third.findings["child"] == "A1")
    assert since[back].isna().all() and (since[~back] == pd.Timestamp(T1)).all()


def test_a_run_with_fewer_rules_does_not_make_the_others_new(tmp_path):
    db = tmp_path / "h.sqlite"
    history.record(validate(rows()), tmp_path / "903.xlsx", db, at=T1)
    history.record(xv.validate(tables(rows()), year=YEAR, postcodes=None, rules=["103"]), tmp_path / "903.xlsx", db,
                   at=T2)
    assert (follow_up(db, validate(rows())).since == pd.Timestamp(T1)).all()


def test_a_version_2_history_is_upgraded_and_keeps_its_runs(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript(history._SCHEMA)
        for column in history._V2:
            conn.execute(f"ALTER TABLE runs ADD COLUMN {column}")
        conn.execute("INSERT INTO runs (at, year, source, source_path, findings, children, children_with_errors,"
                     " rules_run, rules_skipped, rules_failed) VALUES ('2026-09-01T09:00:00', '2025/26',"
                     " '903.xlsx', '', 7, 6, 3, 2, 1, 0)")
        conn.execute(f"PRAGMA application_id = {history.APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 2")
    report = validate(rows())
    assert follow_up(db, report).since.isna().all()  # read as it is: nothing known by identity yet
    history.record(report, tmp_path / "903.xlsx", db, at=T1)
    assert history.runs(db, source="903.xlsx")["findings"].tolist() == [7, len(report.findings)]
    assert (follow_up(db, report).since == pd.Timestamp(T1)).all()


def write(data, path):
    return write_return_workbook(tables(data), path, YEAR, dropdowns=False)


def chase(source, out, *extra):
    return main(["chase", str(source), "--year", YEAR, "--out", str(out), *map(str, extra)])


def sheet(path, name):
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_status_new_open_and_fixed_across_three_runs(tmp_path, capsys):
    db, out = tmp_path / "h.sqlite", tmp_path / "chase"
    assert chase(write(rows(), tmp_path / "r1" / "903.xlsx"), out, "--history", db) == 0
    first = sheet(out / "chase_list.xlsx", "Chase list")
    assert first[0][2:4] == ("Status", "Open since") and {r[2] for r in first[1:]} == {"new"}
    data = rows()
    data["Header"][0]["ETHNIC"] = "WBRI"  # A1 corrected
    data["Header"][1]["SEX"] = "X"  # B2: a new mistake
    assert chase(write(data, tmp_path / "r2" / "903.xlsx"), out, "--history", db) == 0
    second = sheet(out / "chase_list.xlsx", "Chase list")
    new = [(r[1], r[4]) for r in second[1:] if r[2] == "new"]
    assert new and all(c == "B2" for c, _ in new)
    assert all(isinstance(r[3], datetime) for r in second[1:])
    fixed = sheet(out / "chase_list.xlsx", "Fixed since last chase")
    assert [(r[0], r[1], r[2]) for r in fixed[1:]] == [("SW200", "A1", "103")]
    summary = {r[0]: r[1:5] for r in sheet(out / "chase_list.xlsx", "Summary")[1:] if r[0]}
    assert summary["SW200"][2] == 1 and summary["SW300"][1] == len(new)
    assert summary["All"][:3] == (len(second) - 1, len(new), 1)
    assert (out / "chase_SW400.csv").exists()
    data["SWEpisodes"] = data["SWEpisodes"][:2]  # C3's worker no longer recorded
    assert chase(write(data, tmp_path / "r3" / "903.xlsx"), out, "--history", db) == 0
    third = sheet(out / "chase_list.xlsx", "Chase list")
    before = {(r[1], r[4], r[7]) for r in second[1:]}
    assert all(r[2] == "open" for r in third[1:] if (r[1], r[4], r[7]) in before)
    assert {r[1] for r in third[1:] if r[2] == "new"} <= {"C3"}  # only what losing its worker record raised
    assert not (out / "chase_SW400.csv").exists()  # last run's list for SW400 is not left behind
    assert len(sheet(out / "chase_list.xlsx", "Fixed since last chase")) == 1  # nothing fixed since run 2
    log = (out / "chase_log.txt").read_text().splitlines()
    assert len(log) == 3 and all("\texit 0\t" in line for line in log)
    assert "1 fixed since the last chase" in log[1]


def test_a_failed_run_is_logged_with_its_exit_status(tmp_path, capsys):
    assert chase(tmp_path / "missing.xlsx", tmp_path / "chase", "--no-history") == 2
    [line] = (tmp_path / "chase" / "chase_log.txt").read_text().splitlines()
    assert "\texit 2\t" in line and "missing.xlsx" in line


def parse(path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


@pytest.fixture
def drafts(tmp_path, capsys):
    workers = tmp_path / "workers.csv"
    workers.write_text("SW_ID,Name,Email\nsw200,Ann O'Neil,ann.oneil@council.example\nSW300,Bo Li,\n"
                       "SW400,Cy,not an address\n", encoding="utf-8")
    out = tmp_path / "chase"
    assert chase(write(rows(), tmp_path / "903.xlsx"), out, "--no-history", "--email", "--workers", workers,
                 "--fallback", "903team@council.example") == 0
    return out, capsys.readouterr().out


def test_drafts_parse_back_with_body_table_and_the_workers_csv(drafts):
    out, _ = drafts
    msg = parse(out / "draft_SW200.eml")
    assert msg["To"].addresses[0].addr_spec == "ann.oneil@council.example"
    assert msg["To"].addresses[0].display_name == "Ann O'Neil"
    assert msg["X-Unsent"] == "1" and "to check" in msg["Subject"] and msg["Date"] is None
    assert msg.get_content_type() == "multipart/mixed"
    body, attachment = msg.get_payload()
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.get_payload()] == ["text/plain", "text/html"]
    assert attachment.get_filename() == "chase_SW200.csv"
    assert attachment.get_payload(decode=True) == (out / "chase_SW200.csv").read_bytes()
    html = body.get_payload()[1].get_content()
    listed = openpyxl.load_workbook(out / "chase_list.xlsx")["Chase list"]
    mine = [r for r in listed.iter_rows(min_row=2, values_only=True) if r[0] == "SW200"]
    assert html.count("<tr>") == len(mine) + 1 and "Episode starting 01/04/2025: PLACE" in html
    assert "Hello Ann O&#x27;Neil," in html and "council&#x27;s email system" in html
    text = body.get_payload()[0].get_content()
    assert "Child A1 - Child's details: ETHNIC\n  What is wrong: The ethnicity code" in text  # no history: no status


def test_values_from_the_return_are_escaped_in_the_html(drafts):
    out, _ = drafts
    html = parse(out / "draft_SW300.eml").get_body(("html",)).get_content()
    assert "ETHNIC=Z&lt;i&gt;Z" in html and "Z<i>Z" not in html


def test_workers_without_an_address_get_a_draft_to_nobody_and_are_listed(drafts):
    out, printed = drafts
    for sw_id in ("SW300", "SW400"):
        msg = parse(out / f"draft_{sw_id}.eml")
        assert msg["To"] is None and msg["X-Unsent"] == "1"
    assert "'not an address' is not an email address" in printed
    assert "addressed to nobody (no email address on the worker list)" in printed and "SW300, SW400" in printed
    nobody = parse(out / "draft_no_known_worker.eml")
    assert nobody["To"].addresses[0].addr_spec == "903team@council.example"
    assert "D4" in nobody.get_body(("plain",)).get_content()


def test_a_return_with_no_worker_information_at_all(tmp_path, capsys):
    data = {k: v for k, v in rows().items() if k != "SWEpisodes"}
    out = tmp_path / "chase"
    assert chase(write(data, tmp_path / "903.xlsx"), out, "--no-history", "--email") == 0
    assert sorted(p.name for p in out.iterdir()) == [".xl_validator_chase_files", "chase_list.xlsx", "chase_log.txt",
                                                     "chase_no_known_worker.csv", "draft_no_known_worker.eml"]
    msg = parse(out / "draft_no_known_worker.eml")
    assert msg["To"] is None and "children with no known social worker" in msg["Subject"]
    assert "no --fallback address given" in capsys.readouterr().out


def test_a_worker_list_without_an_email_column_is_refused_clearly(tmp_path, capsys):
    workers = tmp_path / "workers.csv"
    workers.write_text("SW_ID,Name\nSW200,Ann\n", encoding="utf-8")
    assert chase(write(rows(), tmp_path / "903.xlsx"), tmp_path / "c", "--no-history", "--email",
                 "--workers", workers) == 2
    assert f"{workers}, row 1: no column email" in capsys.readouterr().err


def test_chase_runs_feed_the_status_but_stay_out_of_the_trend(tmp_path, capsys):
    db = tmp_path / "h.sqlite"
    book = write(rows(), tmp_path / "903.xlsx")
    assert chase(book, tmp_path / "chase", "--history", db) == 0
    assert history.runs(db).empty  # its counts assume the safe fixes made: not like for like
    assert main(["validate", str(book), "--year", YEAR, "--out", str(tmp_path / "checked.xlsx"), "--history", str(db),
                 "-q"]) == 1
    assert len(history.runs(db)) == 1
