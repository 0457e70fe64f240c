"""`make run`'s access line (pulsehr.serving.AccessLogMiddleware, under uvicorn): one line per
request, in gunicorn's format, carrying the request id, and labelled by what writes it."""

import asyncio
import logging

from pulsehr.serving import AccessLogMiddleware


async def answer(scope, receive, send):
    await send({"type": "http.response.start", "status": 201, "headers": [(b"x-request-id", b"req_abc")]})
    await send({"type": "http.response.body", "body": b"hello"})


def test_one_line_per_request_labelled_pulsehr_access_with_its_request_id(caplog):
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/v1/kudos",
        "query_string": b"a=1",
        "http_version": "1.1",
        "client": ("127.0.0.1", 5000),
        "headers": [(b"x-forwarded-for", b"203.0.113.9")],
    }

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        pass

    with caplog.at_level(logging.INFO, logger="pulsehr.access"):
        asyncio.run(AccessLogMiddleware(answer)(scope, receive, send))

    [record] = [r for r in caplog.records if "access" in r.name]
    assert record.name == "pulsehr.access"  # not gunicorn.access: no gunicorn serves `make run`
    assert record.request_id == "req_abc"
    line = record.getMessage()
    assert line.startswith('127.0.0.1 "POST /v1/kudos?a=1 HTTP/1.1" 201 5 ')
    assert line.endswith("request_id=req_abc forwarded_for=203.0.113.9")
