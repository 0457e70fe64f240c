"""OpenAPI 3.1 for /v1: bearer auth, and the envelope, headers and error responses that
every operation shares, added in one place rather than on each view."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    pass


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "pulsehr.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key, `pk_live_…` or `pk_test_…`, minted in /developers.",
        }


ERROR_DESCRIPTIONS = {
    "400": "invalid_request: the payload or a parameter failed validation; `fields` names them.",
    "401": "unauthenticated: missing, malformed, unknown or revoked API key.",
    "403": "permission_denied: the key's scopes do not allow this operation.",
    "404": "not_found: unknown id, or one that belongs to another workspace or environment.",
    "405": "method_not_allowed.",
    "409": "conflict: stale If-Match, or an Idempotency-Key reused or still in flight.",
    "415": "unsupported_media_type: send application/json.",
    "422": "unprocessable_entity: well-formed but breaks a rule; `fields` names them.",
    "429": "rate_limited: wait for Retry-After seconds.",
    "500": "internal_error: our bug; quote the request_id.",
}

RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {"description": "Requests allowed per minute for this key.", "schema": {"type": "integer"}},
    "X-RateLimit-Remaining": {"description": "Requests left in this window.", "schema": {"type": "integer"}},
    "X-RateLimit-Reset": {
        "description": "When the window resets (ISO 8601, UTC).",
        "schema": {"type": "string", "format": "date-time"},
    },
}
REQUEST_ID_HEADER = {"X-Request-Id": {"description": "This request's id (`req_…`).", "schema": {"type": "string"}}}
ETAG_HEADER = {"ETag": {"description": "The resource version, for If-Match.", "schema": {"type": "string"}}}

IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the POST safe to retry for 24 h: a repeat replays the first response "
    "(with `Idempotent-Replayed: true`) and writes nothing.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
IF_MATCH_PARAMETER = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you last read; a newer version on the server gives 409 conflict.",
    "schema": {"type": "string"},
}


def _error_statuses(method: str, path: str, operation: dict) -> list[str]:
    statuses = ["400", "401", "403", "405", "429", "500"]
    if "{" in path:
        statuses.append("404")
    if method in ("post", "patch", "put"):
        statuses += ["415", "422"]
    if method == "post" or any(p.get("name") == "If-Match" for p in operation.get("parameters", [])):
        statuses.append("409")
    return sorted(set(statuses))


def postprocess(result, generator, request, public):
    components = result.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "request_id"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": sorted({d.split(":")[0].rstrip(".") for d in ERROR_DESCRIPTIONS.values()}),
                    },
                    "message": {"type": "string"},
                    "fields": {"type": "array", "items": {"type": "string"}},
                    "request_id": {"type": "string"},
                },
            }
        },
    }
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "patch", "put", "delete"):
                continue
            parameters = operation.setdefault("parameters", [])
            if method == "post":
                parameters.append(IDEMPOTENCY_PARAMETER)
            if method in ("patch", "delete") and "{" in path:
                parameters.append(IF_MATCH_PARAMETER)
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                headers = response.setdefault("headers", {})
                headers.update(REQUEST_ID_HEADER)
                headers.update(RATE_LIMIT_HEADERS)
                if status.startswith("2") and "{" in path or method == "post" and status == "201":
                    headers.update(ETAG_HEADER)
            for status in _error_statuses(method, path, operation):
                response = {
                    "description": ERROR_DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    "headers": dict(REQUEST_ID_HEADER),
                }
                if status == "429":
                    response["headers"]["Retry-After"] = {
                        "description": "Seconds to wait.",
                        "schema": {"type": "integer"},
                    }
                responses.setdefault(status, response)
    return result
