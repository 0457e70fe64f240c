from channels.security.websocket import OriginValidator
from django.conf import settings
from django.urls import path

from .consumers import RoomConsumer

websocket_urlpatterns = [
    path("v1/realtime", RoomConsumer.as_asgi()),
]


class RealtimeOriginValidator(OriginValidator):
    """Refuses a socket unless its Origin is one of ALLOWED_HOSTS or of
    PULSEHR_REALTIME_ALLOWED_ORIGINS (the integrators' sites that embed the widget), read as
    each socket connects. A socket without an Origin passes only where "*" is allowed."""

    def __init__(self, application):
        super().__init__(application, allowed_origins=[])

    def valid_origin(self, parsed_origin) -> bool:
        allowed = [*settings.ALLOWED_HOSTS, *settings.PULSEHR_REALTIME_ALLOWED_ORIGINS]
        if parsed_origin is None:
            return "*" in allowed
        return any(pattern == "*" or self.match_allowed_origin(parsed_origin, pattern) for pattern in allowed)
