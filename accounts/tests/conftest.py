"""Real outside parties for the account tests: an SMTP server (aiosmtpd) and an OpenID Connect provider
(npm oidc-provider on Node.js), both started by the tests on loopback and stopped after them."""

import email
import email.policy
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
OIDC_CLIENT_ID = "nvo-tracker-test"
OIDC_CLIENT_SECRET = "test-only-client-secret"  # noqa: S105 - the test provider's own client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Mailbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler hook
        with self._arrived:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10):
        with self._arrived:
            assert self._arrived.wait_for(lambda: len(self.messages) >= count, timeout), "no mail arrived"
        return self.messages[count - 1]

    @staticmethod
    def link(message) -> str:
        """The link in a received message, or in one of Django's outbox messages (locmem backend)."""
        text = message.body if hasattr(message, "body") else message.get_body(preferencelist=("plain",)).get_content()
        return re.search(r"https?://\S+", text).group(0)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; Django sends over SMTP to it. Yields the mailbox."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """panva's oidc-provider as a separate Node.js process on loopback, for the live server's callback URL."""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": OIDC_CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": OIDC_CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URIS": f"{live_server.url}/inloggen/organisatie/terug/",
    }
    node = shutil.which("node")  # Debian's Node.js, installed by scripts/install.sh --dev
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("ready "), f"the OpenID Connect provider did not start: {line!r}"
        yield line.split()[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def oidc_enabled(settings, oidc_provider):
    """Sign-in with the organisation's account switched on against the local provider (discovery document)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = f"{oidc_provider}/.well-known/openid-configuration"
    return oidc_provider
