"""The Procfile's web process keeps answering while clients misbehave: a real gunicorn, started with the
Procfile's own settings, gets two uploads that trickle their body and never finish plus two zip bombs, and
/healthz and a signed-in API request still answer (a generous bound: no timing assertions; speed lives in bench/)."""

import http.client
import json
import socket
import threading
import time

from django.test import Client

from accounts.roles import Role
from agreements.tests.test_import_bombs import GIB, _inline_string

GENEROUS = 20  # seconds a probe may wait before the test calls the site unresponsive


def _get(port: int, path: str, cookie: str = "") -> tuple[int, str]:
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=GENEROUS)
    try:
        probe.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = probe.getresponse()
        return response.status, response.read().decode()
    finally:
        probe.close()


def _multipart(token: str, data: bytes) -> tuple[str, bytes]:
    boundary = "nvo-grens-1234567890"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="stand.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


class _TricklingUpload(threading.Thread):
    """Sends the headers of a 2 MB upload and then one byte at a time, until told to stop."""

    def __init__(self, port: int, cookie: str, content_type: str):
        super().__init__(daemon=True)
        self.port, self.cookie, self.content_type = port, cookie, content_type
        self.stop = threading.Event()
        self.started = threading.Event()

    def run(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=GENEROUS) as sock:
            sock.sendall(
                (
                    f"POST /importeren/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {self.cookie}\r\n"
                    f"Content-Type: {self.content_type}\r\nContent-Length: {2 * 1024 * 1024}\r\n\r\n"
                ).encode()
            )
            self.started.set()
            while not self.stop.wait(0.2):
                sock.sendall(b"x")


def test_two_hostile_uploads_do_not_make_healthz_wait(web_server, make_user):
    port = web_server
    client = Client()
    client.force_login(make_user(Role.REGIO_ADVISEUR))
    session = client.cookies["sessionid"].value
    page = client.get("/importeren/")
    csrf_cookie, token = client.cookies["csrftoken"].value, page.context["csrf_token"]
    cookie = f"sessionid={session}; csrftoken={csrf_cookie}"
    content_type, bomb_body = _multipart(str(token), _inline_string(GIB))

    trickling = [_TricklingUpload(port, cookie, content_type) for _ in range(2)]
    for upload in trickling:
        upload.start()
    for upload in trickling:
        assert upload.started.wait(GENEROUS)
    time.sleep(1)  # let gunicorn hand both connections to a thread that now waits for the body

    bomb_answers = []

    def upload_bomb():
        post = http.client.HTTPConnection("127.0.0.1", port, timeout=GENEROUS)
        post.request(
            "POST",
            "/importeren/",
            body=bomb_body,
            headers={"Cookie": cookie, "Content-Type": content_type, "Referer": f"http://127.0.0.1:{port}/"},
        )
        response = post.getresponse()
        bomb_answers.append((response.status, response.read().decode()))
        post.close()

    bombs = [threading.Thread(target=upload_bomb) for _ in range(2)]
    try:
        for bomb in bombs:
            bomb.start()
        status, body = _get(port, "/healthz")
        assert status == 200 and json.loads(body)["database"] == "ok"
        assert _get(port, "/api/agreements/", cookie)[0] == 200  # a signed-in request that reads the database
        for bomb in bombs:
            bomb.join(GENEROUS)
        assert len(bomb_answers) == 2
        for status, html in bomb_answers:
            assert status == 200 and "uitgepakt groter dan 10 MB" in html, html[:3000]
        assert all(upload.is_alive() for upload in trickling), "the trickling uploads were still being received"
    finally:
        for upload in trickling:
            upload.stop.set()
