from django.urls import path, re_path

from . import views

app_name = "developers"

urlpatterns = [
    path("developers", views.api_keys, name="api_keys"),
    path("developers/keys/<str:key_id>/revoke", views.api_key_revoke_confirm, name="api_key_revoke"),
    path("developers/webhooks", views.endpoints, name="endpoints"),
    path("developers/webhooks/new", views.endpoint_create, name="endpoint_create"),
    path("developers/webhooks/<str:endpoint_id>", views.endpoint_detail, name="endpoint"),
    path("developers/webhooks/<str:endpoint_id>/edit", views.endpoint_edit, name="endpoint_edit"),
    path("developers/webhooks/<str:endpoint_id>/rotate-secret", views.endpoint_rotate_secret, name="endpoint_rotate"),
    path(
        "developers/webhooks/<str:endpoint_id>/disable",
        views.endpoint_set_disabled,
        {"disabled": True},
        name="endpoint_disable",
    ),
    path(
        "developers/webhooks/<str:endpoint_id>/enable",
        views.endpoint_set_disabled,
        {"disabled": False},
        name="endpoint_enable",
    ),
    path("developers/webhooks/<str:endpoint_id>/test", views.endpoint_send_test, name="endpoint_test"),
    path("developers/webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>", views.delivery_detail, name="delivery"),
    path(
        "developers/webhooks/<str:endpoint_id>/deliveries/<str:delivery_id>/replay",
        views.delivery_replay,
        name="delivery_replay",
    ),
    path("developers/calendars", views.calendar_feeds, name="calendar_feeds"),
    path("developers/calendars/<str:feed_id>/revoke", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("ecosystem", views.ecosystem, name="ecosystem"),
    # The pages' URLs have no trailing slash; one typed or pasted with it is sent there.
    re_path(r"^(?:developers|ecosystem)(?:/.*)?/$", views.without_trailing_slash),
]
