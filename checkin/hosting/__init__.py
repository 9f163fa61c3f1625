"""Hosting an event on the local network: a PostgreSQL server from a wheel, a join code, the
zeroconf record, stations that join, and their offline fallback when the Wi-Fi drops."""
