"""This laptop's station for one event, remembered (QSettings) so it is set once: the station's
name and mode, the volunteer and when their shift started, and when the desk asks before giving
a pre-printed ticket to the person on screen. Kept by event uid, so another event
file on the same laptop asks again; never translated, so a language switch keeps the name."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSettings

from checkin.results import Station, StationMode
from ui.core.bind_guard import BindQuestion
from ui.core.setting_keys import StationSetting, station_key


def _key(event_uid: str, name: str) -> str:
    return station_key(event_uid, name)


def remembered_station(event_uid: str) -> Station | None:
    settings = QSettings()
    name = str(settings.value(_key(event_uid, StationSetting.NAME), "") or "").strip()
    if not name:
        return None
    mode_value = str(settings.value(_key(event_uid, StationSetting.MODE), StationMode.DESK.value))
    mode = StationMode(mode_value) if mode_value in set(StationMode) else StationMode.DESK
    ticket_type = str(settings.value(_key(event_uid, StationSetting.TICKET_TYPE), "") or "") or None
    volunteer = str(settings.value(_key(event_uid, StationSetting.VOLUNTEER), "") or "")
    return Station(name, mode, ticket_type if mode is StationMode.RESOURCE else None, volunteer)


def remember_station(event_uid: str, station: Station) -> None:
    settings = QSettings()
    settings.setValue(_key(event_uid, StationSetting.NAME), station.name)
    settings.setValue(_key(event_uid, StationSetting.MODE), station.mode.value)
    settings.setValue(_key(event_uid, StationSetting.TICKET_TYPE), station.ticket_type or "")
    settings.setValue(_key(event_uid, StationSetting.VOLUNTEER), station.volunteer)


def shift_start(event_uid: str) -> datetime | None:
    value = str(QSettings().value(_key(event_uid, StationSetting.SHIFT_STARTED), "") or "")
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def remember_shift_start(event_uid: str, moment: datetime) -> None:
    QSettings().setValue(_key(event_uid, StationSetting.SHIFT_STARTED), moment.isoformat())


def bind_question(event_uid: str) -> BindQuestion:
    value = str(QSettings().value(_key(event_uid, StationSetting.BIND_QUESTION), "") or "")
    return BindQuestion(value) if value in set(BindQuestion) else BindQuestion.AFTER_A_FEW_SECONDS


def remember_bind_question(event_uid: str, question: BindQuestion) -> None:
    QSettings().setValue(_key(event_uid, StationSetting.BIND_QUESTION), question.value)
