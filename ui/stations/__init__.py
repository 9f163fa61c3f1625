"""Several laptops and their stations: merging station copies, the host's screen, voiding a lost
ticket or stock sheet."""
