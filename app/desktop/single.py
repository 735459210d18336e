"""One tray per user session: a second start tells the first to show itself, then exits."""

from __future__ import annotations

import getpass
import hashlib

from .qt import QLocalServer, QLocalSocket, QObject, Signal

MESSAGE = b"show\n"


def server_name(suffix: str = "") -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in odd environments: one name for all
        user = "user"
    digest = hashlib.sha256(user.encode("utf-8", "replace")).hexdigest()[:12]
    return f"giukin-{digest}{suffix}"


class SingleInstance(QObject):
    """``claim()`` is True for the first process; later ones get False after notifying it."""

    activated = Signal()

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.name = name or server_name()
        self.server: QLocalServer | None = None

    def claim(self, timeout_ms: int = 500) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(timeout_ms):
            socket.write(MESSAGE)
            socket.flush()
            socket.waitForBytesWritten(timeout_ms)
            socket.disconnectFromServer()
            return False
        # Nobody answers: a server file left by a crashed instance must not block us.
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(self.name):
            return True  # cannot listen (odd platform): run anyway, just without the guard
        self.server.newConnection.connect(self._on_connection)
        return True

    def _on_connection(self) -> None:
        while self.server is not None and self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            # The message is one short line sent right after connecting: read it here
            # instead of keeping per-connection slots alive.
            if not connection.bytesAvailable():
                connection.waitForReadyRead(300)
            data = bytes(connection.readAll())
            connection.abort()
            connection.deleteLater()
            if data.startswith(MESSAGE.strip()):
                self.activated.emit()

    def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
