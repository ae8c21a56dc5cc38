import os

import django
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordinator.settings")
# Requests run on a fixed set of threads (coordinator/http_handler.py), which borrow from a
# small pool of PostgreSQL connections and give it back at the end of each request: the
# connections a server holds stay bounded however many requests wait (see settings.py).
# Only where this module starts the process: a process whose settings are loaded already (a
# test importing the routing) must not hand the pool to the workers it spawns.
if not settings.configured:
    os.environ.setdefault("BATON_DB_POOL", "16")
# Django must be set up before routing (and its consumers) are imported.
django.setup(set_prefix=False)

from coordinator.http_handler import OneHopASGIHandler  # noqa: E402

django_asgi_app = OneHopASGIHandler(threads=settings.BATON_HTTP_THREADS)

import gc  # noqa: E402

from coordinator.engine.sweeper import start_background  # noqa: E402

start_background()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from coordinator.body_limit import BodyLimitGuard, limit_daphne_bodies  # noqa: E402
from coordinator.routing import websocket_urlpatterns  # noqa: E402
from coordinator.ws_auth import TokenOrSessionAuthMiddlewareStack  # noqa: E402
from coordinator.ws_origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimitGuard(django_asgi_app),
        "websocket": SameOriginValidator(
            TokenOrSessionAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

limit_daphne_bodies()  # daphne buffers a whole body before the app sees it; refuse earlier

# Everything loaded so far lives for the whole process: keep it out of the collector's scans,
# which otherwise put 100 ms pauses into request tails.
gc.collect()
gc.freeze()
