"""Paper: printing tickets from the desk and entering the fallback kit's tallies."""
