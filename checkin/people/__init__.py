"""People as a pre-registration file describes them: the header vocabulary, consent answers,
name parsing, household sizes, row identity and remembered column layouts (used by
``checkin.csv_import``)."""
