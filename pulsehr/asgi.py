"""The ASGI entry points: two applications over one Django setup.

- `realtime_application` is production's `realtime` service (compose.yaml, the Procfile's
  layout behind the proxy): the collab WebSocket at /v1/realtime and nothing else. Every
  HTTP request answers 404 in the API's error envelope, except the container's liveness probe
  at /healthz. HTTP belongs to the WSGI `web` service (pulsehr.wsgi), where sync views run on
  gunicorn's threads with persistent database connections; served here, each request would
  run one at a time per process and open a connection of its own, so a request the proxy
  routes here by mistake is refused rather than quietly served the slow way.
- `application` serves everything from one process, HTTP included: `make run` on the embedded
  defaults, whose in-memory channel layer reaches only the sockets of its own process.

Sockets whose Origin is neither one of ALLOWED_HOSTS nor of PULSEHR_REALTIME_ALLOWED_ORIGINS
(the sites that embed the widget) are refused before the consumer runs. Authentication is the
socket's first message (see collab/consumers.py). The database work of the sockets runs on a
bounded set of threads (pulsehr.serving.BoundedThreads), so a realtime process holds at most
ASGI_THREADS database connections however many sockets it serves."""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")
# Set up Django (apps, models) before the consumer modules are imported.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from collab.routing import RealtimeOriginValidator, websocket_urlpatterns  # noqa: E402
from pulsehr.serving import AccessLogMiddleware, BoundedThreads, only_realtime_http  # noqa: E402

# WhiteNoise hands static files to Django as synchronous iterators, which Django's ASGI handler
# reads in a thread: correct, and warned about on every static file.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

websocket_application = BoundedThreads(RealtimeOriginValidator(URLRouter(websocket_urlpatterns)))

realtime_application = ProtocolTypeRouter({"http": only_realtime_http, "websocket": websocket_application})

application = ProtocolTypeRouter(
    {
        "http": AccessLogMiddleware(django_application),
        "websocket": websocket_application,
    }
)
