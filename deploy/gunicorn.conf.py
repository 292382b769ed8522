"""Gunicorn settings for OASIS in production (``gunicorn -c deploy/gunicorn.conf.py oasis.wsgi``).

Workers are sized to the machine's cores: each page spends most of its time in Python (numpy, templates), so more
processes than cores only queue; a few threads per worker cover the time spent waiting on the database.
Heavy work is not done here: it runs in ``oasis worker``.
"""

import multiprocessing
import os

bind = os.environ.get("OASIS_ECOUTE", "127.0.0.1:8000")
workers = int(os.environ.get("OASIS_PROCESSUS_WEB", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("OASIS_FILS_PAR_PROCESSUS", 4))
# A request that takes longer than this is cut (heavy work is a job, never a request).
timeout = 60
graceful_timeout = 30
# Idle keep-alive connections are closed after this: longer than a browser's pause between two requests of a page,
# so that a client does not send on a connection the server is closing (connection reset).
keepalive = 5
# Each worker imports OASIS once, then forks: memory shared, start-up paid once.
preload_app = True
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("OASIS_IP_PROXY", "127.0.0.1")
