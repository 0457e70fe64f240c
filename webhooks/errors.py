"""The webhooks' own domain errors: each a kind of pulsehr.errors, so the API keeps its
status and code, while callers and tests can tell them apart."""

from pulsehr.errors import InvalidInput, RuleViolation


class InvalidWebhookUrl(InvalidInput):
    """The url is not an absolute http(s) URL webhooks can be sent to."""

    field = "url"


class PrivateAddressRefused(RuleViolation):
    """The url names a loopback, private, link-local or otherwise non-public address."""

    field = "url"


class InvalidEventTypes(InvalidInput):
    """enabled_events names no type, an unknown one, or "*" beside others."""

    field = "enabled_events"


class EndpointDisabled(RuleViolation):
    """A test event or a replay for an endpoint that is disabled."""


class NoSubscribedEndpoint(RuleViolation):
    """A replay to every subscriber when no enabled endpoint subscribes to the event's type."""


class UnknownEndpoint(RuleViolation):
    """A replay names an endpoint id that is not one of the workspace's."""
