from rest_framework.renderers import BaseRenderer

from pulsehr.jsonvalues import dumps


class JSONRenderer(BaseRenderer):
    """orjson: several times faster than the standard library on list pages. A stored value
    orjson refuses (a row written before the JSON-value policy) falls back to the standard
    library inside dumps(), so reading a row never fails."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return dumps(data)
