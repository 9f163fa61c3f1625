"""The status bar's indicators: backups (and restoring one), the shared server's connection, the
day personal data is deleted."""
