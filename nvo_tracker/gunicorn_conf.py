"""gunicorn settings of the `web` process (Procfile: `--config nvo_tracker/gunicorn_conf.py`).

Threaded workers (gthread): a request that waits on its client (a slow upload) or on the database holds one
thread, not a whole worker, so WEB_CONCURRENCY × WEB_THREADS requests are served at once and /healthz keeps
answering while a few clients misbehave. The TLS proxy in front should buffer request bodies (nginx does by
default; `client_max_body_size 3m; client_body_timeout 10s;`), so a client that trickles its upload never
reaches a thread at all. Every value can be set in the environment (see `.env.example`).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# A worker whose main loop has not checked in for this long is restarted (requests get a 502 from the proxy).
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
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
