"""Helpers that tests in several folders share (tests/ is on the path of every test)."""

from __future__ import annotations


class Listener:
    """A loopback listener that records any connection made to it (none may be)."""

    def __init__(self) -> None:
        import socket
        import threading

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> int:
        import time

        time.sleep(0.5)  # anything on its way arrives
        self._stop.set()
        self._thread.join(2)
        self.socket.close()
        return self.connections
