"""Private servers and app processes for fault tests: nothing here touches the shared PostgreSQL or Redis."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings

PROJECT_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, message: str):
    """Poll `condition` until it returns something truthy; a test guard against waiting forever, not a speed check."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, message
        time.sleep(0.2)


class PrivateRedis:
    """A redis-server of the test's own on a free port, which the test may stop and start again."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tmp_path
        self._process = None

    def start(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self._dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, message="the private redis-server did not start")

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        self._process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def database_url(port: int | None = None) -> str:
    """The URL of the test database, optionally through a proxy on `port`."""
    database = settings.DATABASES["default"]
    return f"postgres://{database['USER']}@{database['HOST']}:{port or database['PORT']}/{database['NAME']}"


class Output:
    """Collects a process's output in a thread, so a full pipe never blocks it."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process):
        for line in process.stdout:
            self.lines.append(line)

    def __contains__(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def __str__(self):
        return "".join(self.lines)


def start_worker(*, redis_url: str, database_url: str) -> tuple[subprocess.Popen, Output]:
    """A Celery worker as the Procfile runs it (prefork pool, 2 processes), against the given broker and database.

    With one process Celery 5.7.0 survives a broker drop mid-task by luck; with the Procfile's two it exits.
    """
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "CELERY_TASK_ALWAYS_EAGER": "false"}
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "celery", "-A", "nvo_tracker", "worker", "--concurrency=2", "--loglevel=INFO"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, Output(process)


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Gunicorn:
    """The web process as the Procfile starts it (gunicorn, its --timeout), on a free port, with `env` on top.

    It runs with the production database timeouts (the settings' defaults), not the test suite's.
    """

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        procfile = (PROJECT_DIR / "Procfile").read_text()
        self.timeout = procfile.split("--timeout ${WEB_TIMEOUT:-", 1)[1].split("}", 1)[0]
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                str(PROJECT_DIR / ".venv" / "bin" / "gunicorn"),
                "nvo_tracker.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                self.timeout,
            ],
            cwd=PROJECT_DIR,
            env={**os.environ, "DEBUG": "false", "HTTPS_ONLY": "false", "DATABASE_STATEMENT_TIMEOUT": "", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.output = Output(self.process)
        wait_until(self._listens, timeout=60, message=f"gunicorn did not start:\n{self.output}")

    def _listens(self) -> bool:
        assert self.process.poll() is None, str(self.output)
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def get(self, path: str, cookie: str = "", request_id: str = "") -> tuple[int, str]:
        """GET `path`; the 60 s client timeout only keeps a broken test from waiting forever."""
        import urllib.error
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        headers = {"Cookie": cookie} if cookie else {}
        if request_id:
            headers["X-Request-ID"] = request_id
        request = urllib.request.Request(self.url + path, headers=headers)  # noqa: S310
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> None:
        stop_process(self.process)
