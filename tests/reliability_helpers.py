"""Helpers for the availability tests: a dependency that hangs, and timing a call."""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class HungListener:
    """A TCP listener on a free loopback port that accepts every connection and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.closed.is_set():
            with contextlib.suppress(OSError):
                self.held.append(self.sock.accept()[0])

    def __enter__(self) -> HungListener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closed.set()
        self.thread.join(timeout=5)
        for conn in [*self.held, self.sock]:
            conn.close()


def timed(call) -> tuple[float, object]:
    """(seconds taken, what `call()` returned)."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result
