"""The `checkin` command: the exact interface scripts rely on, and one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from checkin.cli import main
from checkin.store import AllowanceRule, TicketKind, cipher
from checkin.store import database as dbmod
from tests.helpers.calls import noted
from tests.helpers.project_paths import PREREG_DATA, ROOT

CODE = re.compile(r"[0-9A-Z]{20}")
JSON_KEYS = {"input", "state", "message", "attendee", "ticket"}


def cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("CHECKIN_DB", "CHECKIN_DEBUG")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "checkin", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("checkin")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def party(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A new event with a Meal ticket type; the path as a string."""
    path = str(tmp_path / "party.checkin")
    assert run(capsys, "new-event", "--db", path, "--name", "Block Party")[0] == 0
    from checkin.store import open_database
    from checkin.ticketing import tickets

    db = open_database(path)
    tickets.add_ticket_type(db, "Meal", TicketKind.RESOURCE, rule=AllowanceRule.PER_MEMBER)
    db.dispose()
    return path


# --- the commands, in a real process ----------------------------------------------------------


@pytest.mark.slow
def test_new_event_then_stats_in_a_subprocess(tmp_path: Path) -> None:
    path = str(tmp_path / "new.checkin")
    made = cli(
        "new-event", "--db", path, "--name", "Block Party", "--date", "2026-08-15",
        "--location", "Sycamore Park",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Block Party" in made.stdout
    stats = cli("stats", "--db", path, "--json")
    assert stats.returncode == 0, stats.stderr
    figures = json.loads(stats.stdout)
    assert "Block Party" in json.dumps(figures)
    again = cli("new-event", "--db", path, "--name", "Other")
    assert_one_line_error(again, "already exists")


@pytest.mark.slow
def test_demo_list_and_stats_in_a_subprocess(tmp_path: Path) -> None:
    path = str(tmp_path / "demo.checkin")
    made = cli("demo", "--db", path, "--attendees", "25")
    assert made.returncode == 0, made.stderr
    listed = cli("list", "--db", path, "--json", "--passphrase", "demo")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 25
    assert all(CODE.fullmatch(row["code"]) for row in rows)
    assert len({row["code"] for row in rows}) == 25
    plain = cli("list", "--db", path, env={"CHECKIN_PASSPHRASE": "demo"})
    assert len(plain.stdout.splitlines()) == 25
    assert rows[0]["code"] in plain.stdout
    stats = cli("stats", "--db", path)
    assert stats.returncode == 0 and "25 registered" in stats.stdout
    assert "Meal" in stats.stdout and "Backpack" in stats.stdout


@pytest.mark.slow
def test_register_issue_scan_in_a_subprocess(party: str) -> None:
    registered = cli(
        "register", "--db", party, "--first", "Rosa", "--adults", "2", "--kids", "1",
        "--zip", "64130", "--phone", "816 555 0142", "--consent",
    )  # fmt: skip
    assert registered.returncode == 0, registered.stderr
    attendee = registered.stdout.strip()
    assert CODE.fullmatch(attendee)
    issued = cli("issue", "--db", party, "--attendee", attendee, "--type", "Meal")
    assert issued.returncode == 0, issued.stderr
    meals = issued.stdout.split()
    assert len(meals) == 3 and all(CODE.fullmatch(m) for m in meals)
    scanned = cli(
        "scan", "--db", party, "--station", "Meal tent", "--redeem", "Meal", meals[0], meals[0]
    )
    assert scanned.returncode == 0, scanned.stderr
    results = [json.loads(line) for line in scanned.stdout.splitlines()]
    assert [set(r) for r in results] == [JSON_KEYS, JSON_KEYS]
    assert results[0]["state"] == "redeemed" and results[0]["ticket"] == meals[0]
    assert results[0]["attendee"] == attendee
    assert results[1]["state"] == "redeemed"  # the same code at once: a double-trigger
    desk = cli("scan", "--db", party, "--station", "Desk", attendee)
    assert json.loads(desk.stdout)["state"] == "checked_in"


@pytest.mark.slow
def test_scan_reads_stdin_one_code_a_line_and_rejections_exit_0(party: str) -> None:
    registered = cli("register", "--db", party)
    attendee = registered.stdout.strip()
    garbage = (PREREG_DATA / "scanner-garbage.txt").read_text(encoding="utf-8")
    typed = "-".join(attendee[i : i + 4] for i in range(0, 20, 4)).lower()
    stdin = f"{typed}\n{garbage}{attendee}\n"
    scanned = cli("scan", "--db", party, "--station", "Desk 1", stdin=stdin)
    assert scanned.returncode == 0, scanned.stderr
    lines = scanned.stdout.splitlines()
    assert len(lines) == len(stdin.splitlines())
    results = [json.loads(line) for line in lines]
    assert all(set(r) == JSON_KEYS for r in results)
    assert results[0]["state"] == "checked_in" and results[0]["attendee"] == attendee
    assert {r["state"] for r in results[1:-1]} == {"not_a_code"}
    # the same person again within two seconds at the same station: a scanner double-trigger
    assert results[-1]["state"] == "checked_in"


@pytest.mark.slow
def test_import_command_exists(tmp_path: Path, party: str) -> None:
    helped = cli("import", "--help")
    assert helped.returncode == 0 and "--dry-run" in helped.stdout
    missing = cli("import", "--db", party, str(tmp_path / "nope.csv"))
    assert_one_line_error(missing)


@pytest.mark.slow
def test_db_before_the_command_and_from_the_environment(party: str) -> None:
    before = cli("--db", party, "register", "--first", "Env")
    assert before.returncode == 0, before.stderr
    listed = cli("list", "--json", env={"CHECKIN_DB": party})
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["code"] for line in listed.stdout.splitlines()] == [
        before.stdout.strip()
    ]


@pytest.mark.slow
def test_demo_then_stats_in_the_default_per_user_file(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    made = cli("demo", "--attendees", "5", env=env)
    assert made.returncode == 0, made.stderr
    stats = cli("stats", env=env)
    assert stats.returncode == 0 and "5 registered" in stats.stdout
    assert list((tmp_path / "data").rglob("*.checkin"))


# --- errors: one clear line, non-zero, never a traceback ----------------------------------------


@pytest.mark.slow
def test_missing_file_subprocess(tmp_path: Path) -> None:
    assert_one_line_error(cli("list", "--db", str(tmp_path / "nope.checkin")), "No event file")


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("scan", "--db", "x.checkin"),  # --station missing
        ("register", "--db", "x.checkin", "--adults", "two"),
        ("new-event", "--db", "x.checkin", "--name", "A", "--date", "15/08/2026"),
        ("demo", "--db", "x.checkin", "--attendees", "-3"),
        ("frobnicate",),
        ("list", "--db", "x.checkin", "--colour"),
    ],
)
def test_bad_arguments_subprocess(args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert_one_line_error(result)
    assert result.returncode == 2


@pytest.mark.slow
def test_corrupt_file_random_bytes_after_a_valid_header(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.checkin"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    for command in ("list", "stats", "scan"):
        extra = ("--station", "Desk", "ABCD") if command == "scan" else ()
        assert_one_line_error(cli(command, "--db", str(path), *extra))


@pytest.mark.slow
def test_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.checkin"
    assert cli("demo", "--db", str(path), "--attendees", "300").returncode == 0
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    result = cli("list", "--db", str(path))
    assert_one_line_error(result, "damaged")


@pytest.mark.slow
def test_not_an_event_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.checkin"
    path.write_text("just some notes\n", encoding="utf-8")
    assert_one_line_error(cli("stats", "--db", str(path)), "not a checkin event file")


def hold_lock(path: str, ready: threading.Event, done: threading.Event) -> None:
    connection = cipher.connect(path, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    ready.set()
    done.wait(30)
    connection.execute("ROLLBACK")
    connection.close()


@pytest.mark.slow
def test_locked_database_subprocess(party: str) -> None:
    ready, done = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_lock, args=(party, ready, done))
    holder.start()
    ready.wait()
    try:
        start = time.monotonic()
        result = cli("register", "--db", party, "--first", "Blocked")
        waited = time.monotonic() - start
    finally:
        done.set()
        holder.join()
    assert_one_line_error(result, "busy")
    assert waited < 20  # the busy timeout, not minutes
    listed = cli("list", "--db", party)
    assert "Blocked" not in listed.stdout


# --- the same in-process (fast; exit codes and messages) ----------------------------------------


def test_in_process_flow(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "register", "--db", party, "--kids", "2", "--first", "Ana")
    assert code == 0
    attendee = out.strip()
    assert CODE.fullmatch(attendee)
    code, out, _ = run(capsys, "issue", "--db", party, "--attendee", attendee, "--type", "meal")
    assert code == 0 and len(out.split()) == 3
    code, out, err = run(
        capsys, "issue", "--db", party, "--attendee", attendee, "--type", "Meal", "--count", "1"
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "all it gets" in err
    code, out, _ = run(capsys, "scan", "--db", party, "--station", "Desk", attendee, "nonsense")
    assert code == 0
    states = [json.loads(line)["state"] for line in out.splitlines()]
    assert states == ["checked_in", "not_a_code"]
    code, out, _ = run(capsys, "list", "--db", party, "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["code"] == attendee and row["checked_in_station"] == "Desk"
    code, out, _ = run(capsys, "stats", "--db", party, "--json")
    assert code == 0 and json.loads(out)
    code, out, _ = run(capsys, "verify", "--db", party)
    assert code == 0 and out.startswith("OK")


def test_in_process_scan_for_binds_stock(party: str, capsys: pytest.CaptureFixture[str]) -> None:
    from checkin.store import open_database
    from checkin.ticketing import tickets

    db = open_database(party)
    stock = tickets.create_stock(db, "Meal", 1)[0].code
    db.dispose()
    attendee = run(capsys, "register", "--db", party)[1].strip()
    typed = "-".join(attendee[i : i + 4] for i in range(0, 20, 4)).lower()
    code, out, _ = run(capsys, "scan", "--db", party, "--station", "Desk", "--for", typed, stock)
    assert code == 0
    assert json.loads(out)["state"] == "ticket_bound"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("register", "--adults", "0"), "at least one person"),
        (("register", "--kids", "99"), "between 0 and"),
        (("issue", "--attendee", "A000-0000-0000-0000-0000", "--type", "Meal"), "No attendee"),
        (("register", "--email", "nope", "--consent"), "email"),
    ],
)
def test_in_process_refusals(
    party: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    code, out, err = run(capsys, *args[:1], "--db", party, *args[1:])
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and fragment in err


def test_in_process_locked_database(
    party: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 200)
    ready, done = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold_lock, args=(party, ready, done))
    holder.start()
    ready.wait()
    try:
        code, _, err = run(capsys, "register", "--db", party)
        scan_code, scan_out, scan_err = run(capsys, "scan", "--db", party, "--station", "D", "x")
    finally:
        done.set()
        holder.join()
    assert code == 2 and err.count("\n") == 1 and "busy" in err
    # a scan that could not be saved is printed as such, and the command fails
    assert json.loads(scan_out)["state"] == "not_saved"
    assert scan_code != 0 and "NOT saved" in scan_err


def test_in_process_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", "--db", str(tmp_path / "nope.checkin"))
    assert code != 0 and out == "" and err.count("\n") == 1


def test_in_process_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["issue", "--db", "x.checkin", "--type", "Meal"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--attendee" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("checkin ")


@pytest.mark.slow
def test_a_scan_that_cannot_be_saved_says_why_in_one_line(party: str) -> None:
    """A tester saw 35-60 lines of traceback before the answer when the file was held."""
    code = cli("register", "--db", party, "--first", "Rosa").stdout.strip()
    holder = cipher.connect(party, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the file past the busy timeout
    try:
        result = cli("scan", "--db", party, "--station", "Desk", code)
    finally:
        holder.close()
    assert "Traceback" not in result.stderr
    (line,) = result.stdout.splitlines()
    answer = json.loads(line)
    assert answer["state"] == "not_saved"
    assert answer["message"] == (
        "NOT saved: the event file is busy (another program holds it): try again in a moment."
    )
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_input_checks_a_tester_found_missing(
    party: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "register", "--db", party, "--adults", "1", "--zip", "not a zip")
    assert code != 0 and "zip code" in err
    code, out, err = run(
        capsys, "register", "--db", party, "--adults", "1", "--phone", "8165551111"
    )
    assert code == 0 and "not saved" in err and "--consent" in err
    person = out.strip()
    for count in ("-3", "0"):
        with pytest.raises(SystemExit):
            main(["issue", "--db", party, "--attendee", person, "--type", "Meal", "--count", count])
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["new-event", "--db", str(tmp_path / "nameless.checkin"), "--name", "  "])
    assert not (tmp_path / "nameless.checkin").exists()
    capsys.readouterr()
    # --redeem takes the type's own spelling, and refuses a type the event does not have
    run(capsys, "scan", "--db", party, "--station", "Desk", person)
    meal = run(capsys, "issue", "--db", party, "--attendee", person, "--type", "Meal")[1].split()
    code, out, _ = run(
        capsys, "scan", "--db", party, "--station", "Tent", "--redeem", "meal", meal[0]
    )
    assert code == 0 and json.loads(out)["state"] == "redeemed"
    code, _, err = run(
        capsys, "scan", "--db", party, "--station", "Tent", "--redeem", "Nope", meal[0]
    )
    assert code == 1 and "No ticket type called Nope" in err


def test_an_event_file_alone_opens_it_in_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # How a file manager or macOS hands over a double-clicked .checkin file.
    import ui.app.launch

    opened: list[str | None] = []
    monkeypatch.setattr(ui.app.launch, "run", lambda location, *_: noted(opened, location, 0))
    event_file = tmp_path / "Party.CHECKIN"
    assert main([str(event_file)]) == 0
    assert main(["--db", str(event_file)]) == 0
    assert opened == [str(event_file), str(event_file)]
    with pytest.raises(SystemExit):  # anything else is still a command
        main(["party.csv"])


# --- import: the mapping table and --map (issue 14) -----------------------------------------


def test_import_dry_run_prints_mapping_and_map_overrides(
    tmp_path: Path, party: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "party.csv"
    sheet.write_text(
        "First name,Last name,Party,Zip\nAnn,Lee,4,64130\nAnn,Lee,4,64130\nBo,Diaz,2,64131\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "import", "--db", party, "--dry-run", str(sheet))
    assert code == 0
    table = out.splitlines()
    assert table[0].split() == ["column", "field"]
    assert table[2:6] == [
        "First name  first_name (first name)",
        "Last name   last_name (last name)",
        "Party       (not imported)",
        "Zip         zip_code (zip code)",
    ]
    assert "would import 2 of 3 rows (0 rejected)" in out
    assert "1 duplicate skipped (line 3)" in out
    code, out, _err = run(
        capsys, "import", "--db", party, "--map", "Party=household_size", str(sheet)
    )
    assert code == 0
    assert "imported 2 of 3 rows" in out
    # The choice is remembered for this header layout: no --map needed next time.
    code, out, _err = run(capsys, "import", "--db", party, "--dry-run", str(sheet))
    assert "Party       household_size (household size)" in out.splitlines()
    assert "would import 0 of 3 rows (0 rejected)" in out
    from checkin.people.listing import iter_attendees
    from checkin.store import open_database

    db = open_database(party)
    try:
        assert [(r.first_name, r.household_size) for r in iter_attendees(db)] == [
            ("Ann", 4),
            ("Bo", 2),
        ]
    finally:
        db.dispose()


def test_import_map_names_an_unknown_column(
    tmp_path: Path, party: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "party.csv"
    sheet.write_text("First name,Zip\nAnn,64130\n", encoding="utf-8")
    code, _out, err = run(
        capsys, "import", "--db", party, "--map", "Size=household_size", str(sheet)
    )
    assert code == 1
    assert "--map: no column called 'Size'" in err
    assert "First name, Zip" in err
