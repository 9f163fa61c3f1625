"""The revisions written out in checkin/store/revisions.py are Alembic's scripts, in order; an
everyday open at the newest revision loads nothing of Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from checkin.demo import create_demo
from checkin.store import alembic_config
from checkin.store.revisions import HEAD, REVISIONS


def test_the_list_is_the_migration_scripts_oldest_first() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    newest_first = [revision.revision for revision in script.walk_revisions()]
    assert tuple(reversed(newest_first)) == REVISIONS, (
        "a migration was added or removed: list its revision in checkin/store/revisions.py"
    )
    assert script.get_current_head() == HEAD


@pytest.mark.slow
def test_opening_a_current_file_imports_no_alembic(tmp_path: Path) -> None:
    event_file = tmp_path / "party.checkin"
    create_demo(event_file).dispose()
    probe = (
        "import sys\n"
        "from checkin.store import open_database\n"
        f"open_database({str(event_file)!r}).dispose()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
