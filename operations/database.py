"""A client-side deadline for queries of a web request, so that a hung PostgreSQL costs seconds, not a worker.

PostgreSQL's statement_timeout ends a slow query on the server, and connect_timeout bounds a new connection;
neither helps when the server (or the network to it) stops answering on an open connection: psycopg then
waits for an answer forever. During a request every query gets a deadline of DATABASE_STATEMENT_TIMEOUT
plus a margin (by then the server would have cancelled the query itself); one watchdog thread per process
shuts down the socket of a query past its deadline. psycopg raises OperationalError, the request gets the
Dutch 503 page (operations.views.server_error), Django discards the broken connection, and the next request
connects afresh (bounded by connect_timeout) once the server answers again.
"""

import itertools
import os
import socket
import threading
import time

from django.conf import settings

# After the server's own statement_timeout would have fired: a query still unanswered then means a hang.
MARGIN_SECONDS = 1.0
CHECK_INTERVAL_SECONDS = 0.1


class QueryWatchdog:
    def __init__(self):
        self._deadlines: dict[int, tuple[float, int]] = {}  # token -> (deadline, socket fd)
        self._tokens = itertools.count()
        self._lock = threading.Lock()
        self._thread = None

    def watch(self, fd: int, seconds: float) -> int:
        token = next(self._tokens)
        with self._lock:
            self._deadlines[token] = (time.monotonic() + seconds, fd)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="query-watchdog", daemon=True)
                self._thread.start()
        return token

    def done(self, token: int) -> None:
        with self._lock:
            self._deadlines.pop(token, None)

    def _run(self) -> None:
        while True:
            time.sleep(CHECK_INTERVAL_SECONDS)
            now = time.monotonic()
            with self._lock:  # held while shutting down, so a finished query's fd cannot be reused meanwhile
                for token, (deadline, fd) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[token]
                        _shut_down(fd)


def _shut_down(fd: int) -> None:
    try:
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)  # acts on the connection, so psycopg's own fd sees it too
    except OSError:
        pass  # already closed


watchdog = QueryWatchdog()


def query_deadline(execute, sql, params, many, context):
    """A Django execute wrapper (connection.execute_wrapper) that gives the query its deadline."""
    seconds = settings.DATABASE_STATEMENT_TIMEOUT
    database = context["connection"]
    if not seconds or database.vendor != "postgresql":
        return execute(sql, params, many, context)
    token = watchdog.watch(database.connection.fileno(), seconds + MARGIN_SECONDS)
    try:
        return execute(sql, params, many, context)
    finally:
        watchdog.done(token)
