"""Stations and their laptops: set-up, offline station copies and merging them back, codes
registered at another station, per-station activity and reports, the end-of-shift summary, the
scanner check."""
