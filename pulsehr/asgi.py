"""The ASGI entry point, served by gunicorn's uvicorn workers (gunicorn.conf.py) or uvicorn
(`make run`): Django's HTTP application, and the collab WebSockets at /v1/realtime.

Sockets whose Origin is neither one of ALLOWED_HOSTS nor of PULSEHR_REALTIME_ALLOWED_ORIGINS
(the sites that embed the widget) are refused before the consumer runs. Authentication is the
socket's first message (see collab/consumers.py)."""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")
# Set up Django (apps, models) before the consumer modules are imported.
django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from collab.routing import RealtimeOriginValidator, websocket_urlpatterns  # noqa: E402
from pulsehr.api.bodies import BodyLimitMiddleware  # noqa: E402
from pulsehr.serving import AccessLogMiddleware  # noqa: E402

# WhiteNoise hands static files to Django as synchronous iterators, which Django's ASGI handler
# reads in a thread: correct, and warned about on every static file.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

application = ProtocolTypeRouter(
    {
        "http": AccessLogMiddleware(BodyLimitMiddleware(django_application)),
        "websocket": RealtimeOriginValidator(URLRouter(websocket_urlpatterns)),
    }
)
