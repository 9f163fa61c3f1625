"""Purging personal data: the report is the same afterwards, and the event file (with its WAL)
no longer holds the purged values anywhere, not even in free pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from checkin.after_event.purge import confirmation_phrase, plan_purge, purge_personal_data
from checkin.after_event.report import build, render_html
from checkin.after_event.summary import summarize
from checkin.cli import main
from checkin.record.audit import verify
from checkin.store import Database, open_database
from checkin.store.models import Attendee, AuditEntry
from tests.helpers import decrypted
from tests.helpers.after_event import PERSONAL_STRINGS, Built


def file_bytes(path: Path) -> bytes:
    """Every page of the file and its log, decrypted: free pages included."""
    return decrypted.file_and_log(path)


def report_html(db: Database) -> str:
    return render_html(build(summarize(db)))


def purged_values(db: Database) -> list[str]:
    """What must disappear: PERSONAL_STRINGS plus the demo people's names, phones and keys."""
    with db.reading() as session:
        rows = session.execute(
            select(Attendee.first_name, Attendee.last_name, Attendee.phone, Attendee.email)
        ).all()
    values = {v for row in rows for v in row if v and len(v) >= 5}
    return sorted(values | set(PERSONAL_STRINGS))


def test_plan_says_what_would_go(db: Database, event: Built) -> None:
    plan = plan_purge(db)
    assert plan.phrase == "PURGE Test Party" == confirmation_phrase("Test Party")
    assert (plan.attendees, plan.names, plan.phones, plan.emails, plan.notes) == (6, 5, 2, 1, 2)
    assert plan.external_refs == 1
    assert plan.scan_inputs == 3  # "hello", the vCard and the typo; genuine codes stay
    assert any("phone" in line for line in plan.lines())


def test_wrong_confirmation_changes_nothing(db: Database, event: Built) -> None:
    before = summarize(db).to_json_text()
    result = purge_personal_data(db, "PURGE test party")
    assert not result.done and "PURGE Test Party" in result.message
    with db.reading() as session:
        assert (
            session.scalar(select(Attendee.first_name).where(Attendee.number == 1)) == "Anastasia"
        )
    assert summarize(db).to_json_text() == before


def test_report_identical_and_bytes_gone(db: Database, db_path: Path, event: Built) -> None:
    for extra in ("Tran", "Okafor"):  # more people, so there are free pages to leave data in
        from checkin.people import attendees

        for n in range(40):
            attendees.register(
                db,
                first_name=f"Person{n:02d}x",
                last_name=f"{extra}sonberg",
                adults=1,
                zip_code="64130",
            )
    values = purged_values(db)
    before_json = summarize(db).to_json_text()
    before_html = report_html(db)
    raw = file_bytes(db_path)
    present = [v for v in values if v.encode("utf-8") in raw]
    assert "Anastasia" in present and "Person07x" in present and "(816) 555-0101" in present

    result = purge_personal_data(db, "PURGE Test Party", station="office")
    assert result.done and result.compacted, result.message
    assert summarize(db).to_json_text() == before_json
    assert report_html(db) == before_html

    db.dispose()
    raw = file_bytes(db_path)
    for value in values:
        assert value.encode("utf-8") not in raw, value
    assert b"anastasia" not in raw  # the folded search keys too
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0

    again = open_database(db_path)
    try:
        check = verify(again)
        assert check.ok, check.problems  # the audit chain is untouched, the purge appended
        with again.reading() as session:
            assert session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == (
                "personal_data_purged"
            )
            rows = session.execute(select(Attendee.purged, Attendee.zip_code, Attendee.kids)).all()
        assert all(purged for purged, _, _ in rows)
        assert {z for _, z, _ in rows} >= {"64130", "64132", "64127"}
        assert summarize(again).to_json_text() == before_json
    finally:
        again.dispose()


def test_cli_purge_needs_the_typed_phrase(
    db: Database, db_path: Path, event: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["purge", "--db", str(db_path), "--passphrase", "secret"]) == 1
    err = capsys.readouterr().err
    assert "would remove" in err and "PURGE Test Party" in err and "phone numbers" in err
    with db.reading() as session:
        assert session.scalar(select(Attendee.purged).limit(1)) is False
    confirm = "--confirm", "PURGE Test Party", "--passphrase", "secret"
    assert main(["purge", "--db", str(db_path), *confirm]) == 0
    assert "removed" in capsys.readouterr().out
    with db.reading() as session:
        assert set(session.scalars(select(Attendee.first_name))) == {""}
    # The report's head stops before the purge entry; verify prints that head to compare
    # (a tester found the report's hash matched nothing verify printed).
    head = summarize(db).audit_head
    assert main(["verify", "--db", str(db_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert not lines[0].endswith(head[:16])  # the file's head: after the purge entry
    assert lines[1].startswith("event record (as in the report): ")
    assert lines[1].endswith(f"head {head[:16]}")


def test_no_import_after_the_purge(db: Database, event: Built, tmp_path: Path) -> None:
    """A tester's dry run after the purge offered to import all 80 rows again, as new people."""
    from checkin.people.csv_import import ImportRefused, import_csv

    sheet = tmp_path / "guests.csv"
    sheet.write_text("First name,Last name,Adults\nRosa,Diaz,2\n", encoding="utf-8")
    assert import_csv(db, sheet, dry_run=True).imported == 1
    assert purge_personal_data(db, confirmation_phrase("Test Party")).done
    before = summarize(db).registered
    for dry_run in (True, False):
        with pytest.raises(ImportRefused, match="personal data was removed"):
            import_csv(db, sheet, dry_run=dry_run)
    assert summarize(db).registered == before
