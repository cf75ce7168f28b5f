"""The production app server's settings (docs/deployment.md):

    .venv/bin/gunicorn -c extraditions/gunicorn_conf.py extraditions.wsgi

Command-line options override these (the benchmark sets its own port and worker count).

Threaded workers: a gthread worker's main thread keeps telling gunicorn's arbiter it is alive while
its threads answer requests, so an answer that takes longer than ``timeout`` to send (a full CSV
export streamed to a slow client) is sent to its end. A sync worker only reports between requests:
the arbiter killed it at the timeout, and a long export ended as a 200 with a truncated body
(tests/extraditions/test_production_server.py shows both).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The app is CPU-bound (Python renders every answer): two processes per core. Threads are for
# answers that wait on the client or the database, not for more throughput.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker that stops answering the arbiter for this long is stuck, and is replaced.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so that memory stays flat.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
