"""A TCP relay on loopback between a client and real servers, that a test can cut: a server stopped in the middle of
a transfer, as the client sees it (connections reset, new ones refused), without stopping the server other tests use.
Given several servers it is one address in front of them, as a reverse proxy is: each new connection goes to the
next in turn, and to the one after when a server refuses it."""

from __future__ import annotations

import socket
import struct
import threading


class Relay:
    def __init__(self, *target_ports: int) -> None:
        self.target_ports = list(target_ports)
        self.turn = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return  # cut
            if not self.open:
                client.close()
                return
            server = self._connect()
            if server is None:
                client.close()
                continue
            with self.lock:
                self.connections += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    def _connect(self) -> socket.socket | None:
        for _attempt in range(len(self.target_ports)):
            port = self.target_ports[self.turn % len(self.target_ports)]
            self.turn += 1
            try:
                return socket.create_connection(("127.0.0.1", port))
            except ConnectionRefusedError:
                continue  # that server is down: the next one
        return None

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        """Stop: refuse new connections and reset the open ones."""
        self.open = False
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close() alone would not
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for connection in self.connections:
                try:
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset
                except OSError:
                    pass  # the other end closed it already
                connection.close()
