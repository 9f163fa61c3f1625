"""Scanning with the laptop's webcam when there is no USB scanner."""
