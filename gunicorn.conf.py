"""Gunicorn settings for Stack Advisor.

Everything comes from the environment so that the same file serves ``make run``,
the container image and a PaaS. No secrets belong here: the app reads
SECRET_KEY, DATABASE_URL and REDIS_URL itself.

  ADVISOR_BIND     address to listen on, e.g. 0.0.0.0:8000 (wins over PORT)
  PORT             PaaS convention: listen on 0.0.0.0:$PORT
  WEB_CONCURRENCY  worker processes (default: CPUs + 1)
  ADVISOR_WORKER_CLASS  gevent (default), sync or gthread
  ADVISOR_WORKER_CONNECTIONS  connections one gevent worker holds at once (default 1000)
  ADVISOR_THREADS  threads per worker; above 1 switches to the gthread worker
  ADVISOR_PRELOAD  1 to import the app once in the master before forking
  ADVISOR_MAX_REQUESTS  requests before a worker is recycled (default 20000; 0 = never)

The app reads ADVISOR_BODY_TIMEOUT itself (seconds a request body may take, default 5).
"""

import multiprocessing
import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


if os.environ.get("ADVISOR_BIND"):
    bind = [os.environ["ADVISOR_BIND"]]
elif os.environ.get("PORT"):
    # A platform that sets PORT routes to the container from outside it.
    bind = [f"0.0.0.0:{os.environ['PORT']}"]
else:
    bind = ["127.0.0.1:8000"]

# One worker per core plus one: requests are CPU-bound (the engine, templates), so more workers
# only contend for the cores (measured on 2 cores: 5 workers made 185 creations/s, 3 made 250/s).
workers = _env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _env_int("ADVISOR_THREADS", 1)

# gevent: a worker serves each connection in a greenlet, so a client that sends its request slowly
# holds a greenlet and not the whole worker (with sync workers, three clients trickling their bodies
# stalled every other request until gunicorn killed the workers). The work itself stays one request
# at a time per worker, as with sync workers: the engine and the templates are CPU-bound. psycopg 3
# and redis-py wait on gevent's patched sockets and select (psycopg picks its wait function when it is
# imported, which happens in the worker after gevent patched it); SQLite write transactions queue on
# a per-process lock rather than in SQLite's busy wait (advisor.core.database).
worker_class = os.environ.get("ADVISOR_WORKER_CLASS") or ("gthread" if threads > 1 else "gevent")
worker_connections = _env_int("ADVISOR_WORKER_CONNECTIONS", 1000)

timeout = 30
graceful_timeout = 30
# Also how long the request line and headers may take to arrive under the gevent worker (it reads
# every request, the first one too, under this timeout); the body's deadline is the app's
# ADVISOR_BODY_TIMEOUT. A deployment puts a buffering proxy in front as well (deploy/nginx.conf).
keepalive = 5

# Recycle workers now and then so a slow leak cannot grow without bound; the
# jitter keeps them from all restarting at once. Not too often: a fresh worker
# imports the app and loads the catalog snapshot on its first request (~0.1-0.2 s
# here), and at 2000 requests a worker serving /healthz at full speed was
# recycled every few seconds. ADVISOR_MAX_REQUESTS=0 turns recycling off.
max_requests = _env_int("ADVISOR_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

preload_app = os.environ.get("ADVISOR_PRELOAD") == "1"
if preload_app and worker_class == "gevent":
    # The app (and psycopg, which picks its wait function on import) is imported in the master:
    # patch first, or the workers would inherit blocking sockets.
    from gevent import monkey

    monkey.patch_all()

# Gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl by default:
# two servers on one machine (make run beside a test server) would fight over
# it, and the image's user cannot write its home. Older versions ignore this.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# The default format plus the request id (to match app logs) and the time taken
# in milliseconds. No cookies or authorisation headers are logged.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" rid=%({x-request-id}i)s ms=%(M)s'
)


def post_fork(server, worker):
    """Give each worker its own database connections when the app was preloaded.

    With preload_app the master imported the app, and any pooled connection it
    opened would be inherited by every worker: several processes talking over
    one socket corrupts the protocol. dispose(close=False) drops the inherited
    pool without closing the parent's sockets, so each worker opens its own.
    (redis-py notices the changed pid and resets its own pool by itself.)
    """
    if not server.cfg.preload_app:
        return
    app = getattr(server.app, "callable", None)  # set only once the app is loaded
    if app is None:
        return
    try:
        from advisor.extensions import db
    except ImportError:
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)
