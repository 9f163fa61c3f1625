"""The listeners on this app's sessions, installed on each ``Database``'s session factories as
the factory is made, never on SQLAlchemy's ``Session`` class (which every session of the
process shares, a library's or a test's too, and which made the listeners exist only once the
right module happened to be imported).

The store installs its own (``config_rev``); a layer above it that must see every write
transaction (the record's sealing, checkin/record/) hands its installer to
``on_every_factory``, which installs it on the factories made before too, so the order in which
modules are imported and databases opened does not matter.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from checkin.store import config_rev

Installer = Callable[["sessionmaker[Session]"], None]

_installers: list[Installer] = []
_factories: weakref.WeakSet[sessionmaker[Session]] = weakref.WeakSet()
_lock = threading.Lock()


def factory(bind: Engine) -> sessionmaker[Session]:
    """A session factory for ``bind`` with every listener installed."""
    maker: sessionmaker[Session] = sessionmaker(bind, expire_on_commit=False)
    config_rev.install(maker)
    with _lock:
        for install in _installers:
            install(maker)
        _factories.add(maker)
    return maker


def on_every_factory(install: Installer) -> None:
    """Install ``install`` on every session factory, those made already and those to come;
    once, however often it is asked."""
    with _lock:
        if install in _installers:
            return
        _installers.append(install)
        for maker in list(_factories):
            install(maker)
