"""After the event: the dashboard, exports, the report, the purge and the launch question when
the day to delete personal data has come."""
