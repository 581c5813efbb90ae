"""A small TCP proxy for fault tests: it sits between the app and PostgreSQL or Redis and can hang.

`hang()` makes it behave like a server that stopped answering without closing anything: connections stay
open and new ones are accepted, but what the client sends is held back and nothing comes back. `resume()`
delivers what was held back and forwards again, like a server that wakes up. The shared servers are never
touched.
"""

import selectors
import socket
import threading


class TcpProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self._upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port = self._listener.getsockname()[1]
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._listener, selectors.EVENT_READ)
        self._peers: dict[socket.socket, socket.socket] = {}
        self._held: dict[socket.socket, bytearray] = {}  # bytes waiting to be sent to this socket
        self._clients: set[socket.socket] = set()
        self._hung = threading.Event()
        self._stopped = threading.Event()
        self.connections = 0  # client connections accepted
        self.client_bytes = 0  # bytes received from clients, forwarded or held back
        self._thread = threading.Thread(target=self._run, name=f"tcp-proxy-{self.port}", daemon=True)
        self._thread.start()

    def hang(self) -> None:
        self._hung.set()

    def resume(self) -> None:
        self._hung.clear()

    def close(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=5)
        for sock in list(self._peers):
            sock.close()
        self._listener.close()
        self._selector.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _run(self) -> None:
        while not self._stopped.is_set():
            for key, _ in self._selector.select(timeout=0.05):
                if key.fileobj is self._listener:
                    self._accept()
                else:
                    self._pump(key.fileobj)
            if not self._hung.is_set():
                for sock, held in list(self._held.items()):
                    if held and sock in self._peers:
                        sock.sendall(bytes(held))
                        held.clear()

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self._upstream, timeout=5)
        except OSError:
            client.close()
            return
        self.connections += 1
        for sock, peer in ((client, upstream), (upstream, client)):
            sock.setblocking(True)
            self._peers[sock] = peer
            self._held[sock] = bytearray()
            self._selector.register(sock, selectors.EVENT_READ)
        self._clients.add(client)

    def _pump(self, sock: socket.socket) -> None:
        peer = self._peers.get(sock)
        if peer is None:
            return
        try:
            data = sock.recv(65536)
        except OSError:
            data = b""
        if not data:
            self._drop(sock, peer)
            return
        if sock in self._clients:
            self.client_bytes += len(data)
        if self._hung.is_set():
            self._held[peer] += data
            return
        try:
            peer.sendall(bytes(self._held[peer]) + data)
            self._held[peer].clear()
        except OSError:
            self._drop(sock, peer)

    def _drop(self, sock: socket.socket, peer: socket.socket) -> None:
        for one in (sock, peer):
            if one in self._peers:
                self._selector.unregister(one)
                del self._peers[one]
                del self._held[one]
                self._clients.discard(one)
                one.close()
