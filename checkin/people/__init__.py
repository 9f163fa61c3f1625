"""Households and people: walk-ups, lookups and search (``attendees``; what a volunteer's
search may show, ``desk_privacy``), the attendee list (``listing``, ``attendee_pages``),
correcting a person with its history and undo (``person_record``, ``edits``, ``history``), the
attention note and who reads it (``attention``), withdrawing contact consent
(``consent_withdrawal``), registration tools' codes (``external_codes``), and importing a
pre-registration file (``csv_import``, which offers the whole import, over ``csv_file``,
``workbook``, ``table_source``, ``cell_values``, ``import_headers``, ``consent``, ``names``,
``household``, ``size_words``, ``statuses``, ``grouping``, ``row_identity``, ``import_layouts``
and ``prereg_file``)."""

from checkin.store.states import ON_THE_DAY, AttendeeSource

__all__ = ["ON_THE_DAY", "AttendeeSource"]
