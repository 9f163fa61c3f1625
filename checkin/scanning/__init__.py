"""Scanning: raw scanner input and a station in, one result out (``ScanEngine``), each scan
one short write transaction of prebuilt statements on either backend."""

from checkin.scanning.engine import DEBOUNCE_SECONDS, INTERNAL, MAX_INPUT, ScanEngine

__all__ = ["DEBOUNCE_SECONDS", "INTERNAL", "MAX_INPUT", "ScanEngine"]
