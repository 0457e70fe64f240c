"""The SDK against real PulseHR servers: the live suite's machinery (a database of the session's
own, set up by management commands, and gunicorn processes) reused as it is."""

from dataclasses import dataclass

import pytest
from pulsehr_sdk import AsyncPulse, Pulse

from tests.live import conftest as live
from tests.live.conftest import WEBHOOK_ENV, Server, _start_server, _stop_servers, _wait_until_ready

# The live suite's fixtures, made available to this folder.
live_site = live.live_site
webhook_stack = live.webhook_stack
hooks = live.hooks


@dataclass
class SdkSite:
    server: Server
    key: str

    @property
    def base_url(self) -> str:
        return f"{self.server.url}/v1"

    def client(self, **options) -> Pulse:
        options.setdefault("backoff", 0.05)
        return Pulse(api_key=options.pop("api_key", self.key), base_url=self.base_url, **options)

    def async_client(self, **options) -> AsyncPulse:
        options.setdefault("backoff", 0.05)
        return AsyncPulse(api_key=options.pop("api_key", self.key), base_url=self.base_url, **options)


def start_server(site, rate_limit: int, name: str) -> Server:
    server = _start_server(site, rate_limit, name, extra_env=WEBHOOK_ENV)
    try:
        _wait_until_ready(server)
    except BaseException:
        _stop_servers([server])
        raise
    return server


@pytest.fixture(scope="session")
def sdk_site(live_site):
    """One gunicorn process without rate limits (webhook URLs on 127.0.0.1 allowed) and a
    read/write key of the session's workspace."""
    server = start_server(live_site, 0, "sdk")
    try:
        yield SdkSite(server=server, key=live_site.create_api_key())
    finally:
        _stop_servers([server])


@pytest.fixture
def pulse(sdk_site):
    with sdk_site.client() as client:
        yield client
