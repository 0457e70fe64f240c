from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    # Examples of its request and response bodies in /v1/openapi.json (pulsehr/api/examples.py).
    api_examples = "webhooks.samples.api_examples"
    verbose_name = "Events and webhooks"
    # What a workspace's export holds of this app, with the lookup to the workspace
    # (pulsehr/tenancy/portability.py), and the timestamps that schedule work, so may lie ahead.
    workspace_models = [
        ("webhooks.event", "workspace"),
        ("webhooks.webhookendpoint", "workspace"),
        ("webhooks.delivery", "workspace"),
        ("webhooks.deliveryattempt", "delivery__workspace"),
    ]
    scheduled_fields = {
        "webhooks.webhookendpoint": ["previous_secret_expires_at"],
        "webhooks.delivery": ["next_attempt_at", "leased_until"],
    }
