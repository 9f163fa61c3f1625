"""The status bar says when this event's personal data will be deleted (its retention day,
``checkin.after_event.retention``), or that it was; it reads it again after a Setup change only."""

from __future__ import annotations

import contextlib

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from checkin.after_event.retention import Retention, get_retention
from checkin.changes import Changes, Kind
from ui.common.live_texts import LiveTexts
from ui.core.context import EventContext


class RetentionStatus(QLabel):
    def __init__(self, context: EventContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionStatus")
        self._context = context
        self._kept: Retention | None = None
        context.changed.connect(self._changed)
        self.refresh()
        LiveTexts(self)(self.retranslate)  # again on a language switch, from the day read

    def _changed(self, changes: Changes) -> None:
        if changes.touches(Kind.SETUP):  # a scan never moves the day: not read per scan
            self.refresh()

    def refresh(self) -> None:
        # A server away: the connection indicator says so; the last day read stays shown.
        with contextlib.suppress(Exception):
            self._kept = get_retention(self._context.db)
        self.retranslate()

    def retranslate(self) -> None:
        kept = self._kept
        if kept is None:
            self.setText("")
        elif kept.purged:
            self.setText(self.tr("Personal data deleted"))
        elif kept.due():
            # The day has passed but nothing was deleted ("Not now", or a wrong passphrase).
            self.setText(
                self.tr("Personal data due for deletion since %1").replace(
                    "%1", f"{kept.purge_on:%Y-%m-%d}"
                )
            )
        else:
            self.setText(
                self.tr("Personal data to be deleted on %1").replace(
                    "%1", f"{kept.purge_on:%Y-%m-%d}"
                )
            )
        self.setAccessibleName(self.text())


def install_retention_status(main_window: QMainWindow, context: EventContext) -> RetentionStatus:
    status = RetentionStatus(context, main_window)
    main_window.statusBar().addPermanentWidget(status)
    return status
