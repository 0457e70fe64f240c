"""Traffic no API key pays for is bounded: /v1/openapi.json is built once per process and
served with a strong ETag (304 on If-None-Match) and gzip; /readyz reuses its answer for a few
seconds; 401s and the /v1 catch-all 404 count per client address, then answer 429."""

import gzip
import threading
import time
import uuid

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from pulsehr import health
from pulsehr.api import openapi, ratelimit

pytestmark = pytest.mark.django_db


def fresh_address() -> str:
    """An address no other test (or earlier run within the minute) has counted against."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def with_a_fresh_window(seconds_needed: float = 5.0) -> None:
    """Counts live in one-minute windows: start a burst where it cannot straddle two."""
    deadline = time.time() + seconds_needed + 1
    while ratelimit.WINDOW_SECONDS - time.time() % ratelimit.WINDOW_SECONDS < seconds_needed:
        assert time.time() < deadline
        time.sleep(0.05)


# --- /v1/openapi.json -------------------------------------------------------------------------


def test_openapi_is_built_once_for_concurrent_and_later_requests(monkeypatch):
    calls = []
    real_get_schema = SchemaGenerator.get_schema

    def counting_get_schema(self, *args, **kwargs):
        calls.append(1)
        return real_get_schema(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting_get_schema)
    openapi.forget()
    bodies = []
    threads = [
        threading.Thread(target=lambda: bodies.append(Client().get("/v1/openapi.json").content)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    bodies.append(Client().get("/v1/openapi.json").content)
    assert len(calls) == 1
    assert len(set(bodies)) == 1 and b'"openapi":"3.1.0"' in bodies[0]


def test_the_query_parameter_check_and_the_document_share_one_generation(monkeypatch, api):
    """The views refuse undocumented query parameters by reading the generated schema: the
    process generates it once for that and /v1/openapi.json together, whichever comes first."""
    calls = []
    real_parse = SchemaGenerator.parse

    def counting_parse(self, *args, **kwargs):
        calls.append(1)
        return real_parse(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "parse", counting_parse)
    openapi.forget()
    assert api.get("/v1/employees", {"limit": "1"}).status_code == 200
    assert api.get("/v1/employees", {"limt": "1"}).status_code == 400  # the check ran, on the generated schema
    assert Client().get("/v1/openapi.json").status_code == 200
    assert len(calls) == 1


def test_openapi_has_a_strong_etag_and_if_none_match_answers_304_without_a_body():
    first = Client().get("/v1/openapi.json")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert first["Content-Type"] == "application/vnd.oai.openapi+json"
    assert first.json()["openapi"] == "3.1.0"
    again = Client().get("/v1/openapi.json", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    other = Client().get("/v1/openapi.json", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_openapi_is_gzipped_for_clients_that_accept_it():
    plain = Client().get("/v1/openapi.json")
    zipped = Client().get("/v1/openapi.json", HTTP_ACCEPT_ENCODING="br, gzip;q=0.8")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    # Measured: ~260 KB compact JSON (it was 650 KB indented), ~16 KB gzipped.
    assert len(zipped.content) * 8 < len(plain.content)
    assert zipped["ETag"] != plain["ETag"]  # other bytes, another strong tag
    assert (
        Client().get("/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"]).status_code
        == 304
    )
    refused = Client().get("/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert "Content-Encoding" not in refused and refused.content == plain.content


# --- /readyz ----------------------------------------------------------------------------------


def break_the_broker(settings) -> None:
    from tests.ops.test_probes import closed_port

    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CELERY_BROKER_TRANSPORT = None
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}


def test_readyz_runs_its_checks_once_per_cache_period(client, settings, monkeypatch):
    settings.PULSEHR_READYZ_CACHE_SECONDS = 60
    runs = []
    monkeypatch.setitem(health.CHECKS, "migrations", lambda: runs.append(1) or health.check_migrations())
    health.forget_readiness()
    assert [client.get("/readyz").status_code for _ in range(5)] == [200] * 5
    assert len(runs) == 1
    # Within the period, even a broker outage is not looked for again.
    break_the_broker(settings)
    assert client.get("/readyz").status_code == 200 and len(runs) == 1


def test_readyz_sees_an_outage_once_its_answer_expires(client, settings):
    settings.PULSEHR_READYZ_CACHE_SECONDS = 0.5
    health.forget_readiness()
    assert client.get("/readyz").status_code == 200
    break_the_broker(settings)
    deadline = time.monotonic() + 10
    while (response := client.get("/readyz")).status_code != 503:
        assert time.monotonic() < deadline, "the cached answer never expired"
        time.sleep(0.05)
    assert response.json()["failing"] == ["broker"]


# --- 401s and the catch-all 404, per client address -------------------------------------------


@pytest.fixture
def limit(settings):
    settings.PULSEHR_UNAUTHENTICATED_RATE_LIMIT = 3
    settings.PULSEHR_TRUSTED_PROXIES = 0
    with_a_fresh_window()
    return settings


def assert_rate_limited(response) -> None:
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["request_id"] == response["X-Request-Id"]
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.parametrize(
    "credentials",
    [{}, {"HTTP_AUTHORIZATION": "Bearer pk_live_not-a-real-key"}, {"HTTP_AUTHORIZATION": "Basic abc"}],
    ids=["no key", "unknown key", "malformed header"],
)
def test_401s_beyond_the_limit_are_429_per_address(limit, credentials):
    address, other = fresh_address(), fresh_address()
    client = Client(REMOTE_ADDR=address)
    assert [client.get("/v1/employees", **credentials).status_code for _ in range(3)] == [401] * 3
    assert_rate_limited(client.get("/v1/employees", **credentials))
    assert_rate_limited(client.post("/v1/kudos", {}, content_type="application/json", **credentials))
    assert Client(REMOTE_ADDR=other).get("/v1/employees", **credentials).status_code == 401


def test_the_v1_catch_all_404_counts_against_the_address_too(limit):
    client = Client(REMOTE_ADDR=fresh_address())
    assert [client.get(f"/v1/no-such-thing/{n}").status_code for n in range(2)] == [404, 404]
    assert client.get("/v1/employees").status_code == 401  # one budget for both
    assert_rate_limited(client.get("/v1/no-such-thing/3"))


def test_a_key_pays_for_its_own_requests_from_a_limited_address(limit, api):
    address = fresh_address()
    for _ in range(4):
        Client(REMOTE_ADDR=address).get("/v1/employees")
    assert_rate_limited(Client(REMOTE_ADDR=address).get("/v1/employees"))
    assert api.client.get("/v1/employees", REMOTE_ADDR=address).status_code == 200


def test_x_forwarded_for_is_ignored_without_trusted_proxies(limit):
    address = fresh_address()
    statuses = [
        Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=fresh_address()).get("/v1/employees").status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_behind_one_trusted_proxy_each_client_is_counted_by_the_address_the_proxy_saw(limit):
    limit.PULSEHR_TRUSTED_PROXIES = 1
    proxy, client_a, client_b = fresh_address(), fresh_address(), fresh_address()

    def through_proxy(client_address, claimed):
        return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"{claimed}, {client_address}").get("/v1/employees")

    # A client cannot escape by claiming other addresses: the proxy's entry is the rightmost.
    assert [through_proxy(client_a, fresh_address()).status_code for _ in range(3)] == [401] * 3
    assert_rate_limited(through_proxy(client_a, fresh_address()))
    assert through_proxy(client_b, client_a).status_code == 401


def test_a_limit_of_zero_turns_the_address_limit_off(limit):
    limit.PULSEHR_UNAUTHENTICATED_RATE_LIMIT = 0
    client = Client(REMOTE_ADDR=fresh_address())
    assert {client.get("/v1/employees").status_code for _ in range(6)} == {401}


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "192.0.2.1"),
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "192.0.2.1"),
    ],
)
def test_client_address_takes_the_entry_as_many_hops_from_the_right_as_proxies_are_trusted(
    settings, rf, hops, forwarded, expected
):
    from pulsehr.api.clientaddr import client_address

    settings.PULSEHR_TRUSTED_PROXIES = hops
    request = rf.get("/v1/employees", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("hops", "remote", "forwarded", "expected"),
    [
        (0, "", "", "0.0.0.0"),  # a request built in process (the test client's force_login)
        (1, "192.0.2.1", "not-an-address", "192.0.2.1"),
        (3, "192.0.2.1", "<script>", "192.0.2.1"),
        (1, "192.0.2.1", "2001:DB8::0001", "2001:db8::1"),
    ],
)
def test_client_address_is_always_an_ip_address(settings, rf, hops, remote, forwarded, expected):
    """It is stored in an inet column (django-axes on PostgreSQL), where anything else is a 500."""
    from pulsehr.api.clientaddr import client_address

    settings.PULSEHR_TRUSTED_PROXIES = hops
    request = rf.get("/admin/", HTTP_X_FORWARDED_FOR=forwarded)
    request.META["REMOTE_ADDR"] = remote
    assert client_address(request) == expected
