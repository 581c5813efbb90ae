"""gunicorn settings of the `web` process (Procfile: `--config nvo_tracker/gunicorn_conf.py`).

Threaded workers (gthread): a request that waits on its client (a slow upload) or on the database holds one
thread, not a whole worker, so WEB_CONCURRENCY × WEB_THREADS requests are served at once and /healthz keeps
answering while a few clients misbehave. The TLS proxy in front should buffer request bodies (nginx does by
default; `client_max_body_size 3m; client_body_timeout 10s;`), so a client that trickles its upload never
reaches a thread at all. The numbers come from the app's settings (one env helper, documented in `.env.example`).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nvo_tracker.settings")

from django.conf import settings  # noqa: E402 - needs DJANGO_SETTINGS_MODULE

bind = f"0.0.0.0:{settings.PORT}"
worker_class = "gthread"
workers = settings.WEB_CONCURRENCY
threads = settings.WEB_THREADS
# The Procfile passes --timeout ${WEB_TIMEOUT:-30}, which the settings require to be above the database timeouts.
timeout = settings.WEB_TIMEOUT
graceful_timeout = 10
keepalive = 5
# Restart each worker after a number of requests (with jitter, not all at once) so memory cannot creep up.
max_requests = 2000
max_requests_jitter = 200
# Request line and headers stay within gunicorn's defaults (4 KB line, 100 headers of 8 KB).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
accesslog = "-"
