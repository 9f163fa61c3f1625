"""People as a pre-registration file describes them: reading the file (``csv_file``), cleaning
cells (``cell_values``), the header vocabulary (``import_headers``), consent answers
(``consent``), names (``names``), household sizes and statuses (``household``), row identity
(``row_identity``), remembered column layouts (``import_layouts``) and one file's rows
(``prereg_file``). Callers use ``checkin.csv_import``, which offers the whole import."""
