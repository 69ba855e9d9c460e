"""The shape of the server's background workers (PDFs, mail): a daemon thread that does one
pass of work, then waits a few seconds or until woken, until stopped. A failed pass is
logged and the next one runs: one bad document or mail must not stop the worker."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("pressroom.background")


class Worker:
    """Subclasses give ``name`` and ``pass_once`` (True: more is waiting, go on at once)."""

    name = "worker"
    stop_timeout = 30.0

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=self.stop_timeout)

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    @property
    def stopping(self) -> threading.Event:
        return self._stop

    def pass_once(self) -> bool:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = False
            try:
                busy = self.pass_once()
            except Exception:  # the worker survives; the log tells why
                log.exception("%s: a pass failed", self.name)
            if not busy:
                self._wake.wait(self.interval)
                self._wake.clear()
