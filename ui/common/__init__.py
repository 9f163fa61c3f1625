"""Small widgets and words every screen uses: fitting dialogs, labels, the live language switch,
failure texts, F1 help."""
