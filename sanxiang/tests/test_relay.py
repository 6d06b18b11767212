"""The test relay in front of several servers behaves as a reverse proxy does when one of them dies: a server that
accepts a connection and drops it unanswered (a process killed a moment ago whose socket still accepts) is passed
over, and the request goes to the next with the same bytes."""

import socket
import threading

from sanxiang.testing.relay import Relay


def _server(answer: bytes | None) -> tuple[int, list[bytes]]:
    """A loopback server that reads one request and answers it, or, with None, drops every connection unanswered."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def serve():
        while True:
            connection, _ = listener.accept()
            with connection:
                request = connection.recv(65536)
                if answer is not None:
                    received.append(request)
                    connection.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1], received


def _ask(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(request)
        client.shutdown(socket.SHUT_WR)
        reply = b""
        while data := client.recv(65536):
            reply += data
        return reply


def test_a_server_dropping_requests_unanswered_is_passed_over():
    dead, _ = _server(None)
    alive, received = _server(b"HTTP/1.0 200 OK\r\n\r\nok")
    relay = Relay(dead, alive)
    replies = [_ask(relay.port, f"GET /{n} HTTP/1.0\r\n\r\n".encode()) for n in range(6)]
    assert replies == [b"HTTP/1.0 200 OK\r\n\r\nok"] * 6
    assert received == [f"GET /{n} HTTP/1.0\r\n\r\n".encode() for n in range(6)]  # each request whole, once


def test_with_one_server_a_dropped_request_stays_dropped():
    dead, _ = _server(None)
    relay = Relay(dead)
    assert _ask(relay.port, b"GET / HTTP/1.0\r\n\r\n") == b""
