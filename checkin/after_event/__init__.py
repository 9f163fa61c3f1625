"""After the event: the summary figures, CSV exports, the report, and when and how personal data
is purged (the retention days, every copy this laptop knows)."""
