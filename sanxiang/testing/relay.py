"""A TCP relay on loopback between a client and real servers, that a test can cut: a server stopped in the middle of
a transfer, as the client sees it (connections reset, new ones refused), without stopping the server other tests use.
Given several servers it is one address in front of them, as a reverse proxy is: each new connection goes to the
next in turn, and to the one after when a server refuses it or drops the request before answering a byte (a server
killed a moment ago may still have its listening socket accept; nginx's proxy_next_upstream does the same)."""

from __future__ import annotations

import select
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
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        """Hand the client to a server; until the server answers, keep what the client sent, so that a server which
        drops the connection unanswered can be replaced by the next one with the same bytes. With one server there
        is no other to try, and nothing is kept (an upload cut in the middle stays cut)."""
        with self.lock:
            self.connections.append(client)
        held = bytearray()
        for server in self._servers():
            with self.lock:
                self.connections.append(server)
            try:
                server.sendall(held)
                answer = self._first_answer(client, server, held if len(self.target_ports) > 1 else None)
            except OSError:
                answer = b""
            if answer:
                client.sendall(answer)
                for source, target in ((client, server), (server, client)):
                    threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()
                return
            server.close()
        client.close()

    @staticmethod
    def _first_answer(client: socket.socket, server: socket.socket, held: bytearray | None) -> bytes:
        """Relay the client's bytes to the server (keeping them in held) until the server's first bytes arrive; empty
        when the server dropped the connection without a byte."""
        ends = [client, server]
        while True:
            readable, _, _ = select.select(ends, [], [])
            if server in readable:
                return server.recv(65536)
            data = client.recv(65536)
            if not data:  # the client has sent all it will: wait for the answer alone
                ends.remove(client)
                server.shutdown(socket.SHUT_WR)
                continue
            if held is not None:
                held += data
            server.sendall(data)

    def _servers(self):
        for _attempt in range(len(self.target_ports)):
            port = self.target_ports[self.turn % len(self.target_ports)]
            self.turn += 1
            try:
                yield socket.create_connection(("127.0.0.1", port))
            except ConnectionRefusedError:
                continue  # that server is down: the next one

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
