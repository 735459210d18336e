"""Run work off the UI thread and get the result back on it (Anki's QueryOp shape).

``Background(pool).run(work, on_done, on_error)``: ``work()`` runs on a pool thread and
must not touch widgets; ``on_done(result)`` / ``on_error(exc)`` run on the UI thread,
delivered by a queued signal. A pool of one thread keeps engine calls in order (the
engine warm-up always finishes before the first analysis).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .qt import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its slot therefore runs there (queued connection)."""

    finished = Signal(object, object)

    def __init__(self, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None] | None,
                 forget: Callable[[_Relay], None]) -> None:
        super().__init__()
        self._on_done, self._on_error, self._forget = on_done, on_error, forget
        self.finished.connect(self._deliver)

    @Slot(object, object)
    def _deliver(self, result: Any, error: Any) -> None:
        self._forget(self)
        if error is None:
            self._on_done(result)
        elif self._on_error is not None:
            self._on_error(error)
        else:
            log.error("background task failed: %s", type(error).__name__)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result, error = self._work(), None
        except Exception as exc:  # delivered to on_error on the UI thread
            result, error = None, exc
        self._relay.finished.emit(result, error)


class Background:
    def __init__(self, threads: int = 1) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self._pending: set[_Relay] = set()

    def run(self, work: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> None:
        relay = _Relay(on_done, on_error, self._pending.discard)
        self._pending.add(relay)  # keep the relay alive until it has delivered
        self.pool.start(_Job(work, relay))

    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        return self.pool.waitForDone(msecs)
