"""The schema revisions this version of checkin knows, oldest first.

Written out here so that opening a file already at the newest revision (every file on the day)
needs nothing of Alembic: importing it and reading its scripts cost about a tenth of a second of
the desk's start. `tests/checkin/store/test_revisions.py` holds this list to the scripts in
`migrations/versions/`, so a new migration without its line here fails.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
