from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pulsehr.api.views import ListMixin, RetrieveMixin, TenantViewSet
from pulsehr.tenancy.context import Actor

from .. import services
from ..errors import UnknownEndpoint
from ..models import Delivery, DeliveryAttempt, Event, WebhookEndpoint
from ..representations import event_as_dict
from .filters import EventFilter
from .serializers import (
    DeliveryListSerializer,
    DeliverySerializer,
    EventDetailSerializer,
    EventReplaySerializer,
    EventSerializer,
    NoBodySerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
    WebhookEndpointWithSecretSerializer,
    delivery_as_dict,
)


def _deliveries_with_attempts(queryset):
    return queryset.select_related("endpoint").prefetch_related(
        Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("number"))
    )


@extend_schema(tags=["Webhooks"])
@extend_schema_view(
    list=extend_schema(
        summary="List webhook endpoints",
        description="The workspace environment's webhook endpoints, oldest first, enabled and disabled; their "
        "secrets are not shown.",
        operation_id="webhook_endpoints_list",
    ),
    retrieve=extend_schema(
        summary="Retrieve a webhook endpoint",
        description="One webhook endpoint, with its version as the ETag; its secret is not shown.",
        operation_id="webhook_endpoints_retrieve",
    ),
)
class WebhookEndpointViewSet(ListMixin, RetrieveMixin, TenantViewSet):
    """URLs that receive signed events. The secret is shown on creation and rotation only."""

    model = WebhookEndpoint
    scope_resource = "webhooks"
    serializer_class = WebhookEndpointSerializer
    versioned = True

    @extend_schema(
        summary="Create a webhook endpoint",
        description='Events of the listed types (or every type, with `["*"]`) are POSTed to the URL from now on, '
        "signed with the `secret` in this response, which is not shown again. A URL that is not allowed is a 400, "
        "or a 422 when it names a private address.",
        operation_id="webhook_endpoints_create",
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointWithSecretSerializer},
    )
    def create(self, request):
        serializer = WebhookEndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(tenant=self.tenant, **serializer.validated_data)
        return self.respond(endpoint, status.HTTP_201_CREATED, WebhookEndpointWithSecretSerializer)

    @extend_schema(
        summary="Update a webhook endpoint",
        description="Change the URL, the events, the description, or disable or enable the endpoint; pass the ETag "
        "as If-Match. Disabling stops deliveries: pending ones fail instead of being sent. Re-enabling clears the "
        "reason it was disabled. A request that changes nothing leaves the version as it is.",
        operation_id="webhook_endpoints_update",
        request=WebhookEndpointUpdateSerializer,
        responses={200: WebhookEndpointSerializer},
    )
    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        serializer = WebhookEndpointUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(
            tenant=self.tenant, endpoint=endpoint, expected_version=self.expected_version(), **serializer.validated_data
        )
        return self.respond(endpoint)

    @extend_schema(
        summary="Delete a webhook endpoint",
        description="The endpoint and its delivery log are deleted for good, pending deliveries included; the "
        "events stay.",
        operation_id="webhook_endpoints_delete",
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request, pk=None):
        services.endpoint_delete(
            tenant=self.tenant, endpoint=self.get_object(), expected_version=self.expected_version()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Rotate a webhook endpoint's secret",
        description="Returns a new secret. The previous one stays valid for 24 hours: meanwhile every send is "
        "signed with both (two `v1=` values), so receivers can switch without missing an event. Rotating again "
        "within those hours retires the oldest secret at once.",
        operation_id="webhook_endpoints_rotate_secret",
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        NoBodySerializer(data=request.data or {}).is_valid(raise_exception=True)
        endpoint = services.endpoint_rotate_secret(
            tenant=self.tenant, endpoint=self.get_object(), expected_version=self.expected_version()
        )
        return self.respond(endpoint, serializer_class=WebhookEndpointWithSecretSerializer)

    @extend_schema(
        summary="Send a test event",
        description="Records a `ping` event and delivers it to this endpoint alone, whatever it subscribes to. "
        "Answers 202 with the delivery, which is sent in the background: retrieve the event to follow its "
        "attempts. A disabled endpoint is a 422.",
        operation_id="webhook_endpoints_test",
        request=None,
        responses={202: DeliverySerializer},
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        NoBodySerializer(data=request.data or {}).is_valid(raise_exception=True)
        delivery = services.endpoint_send_test(
            tenant=self.tenant, endpoint=self.get_object(), actor=Actor.for_key(request.auth)
        )
        delivery = _deliveries_with_attempts(Delivery.objects.filter(pk=delivery.pk)).get()
        return Response(delivery_as_dict(delivery), status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["Webhooks"])
@extend_schema_view(
    list=extend_schema(
        summary="List events",
        description="Every change recorded in the workspace environment, oldest first, exactly as webhooks deliver "
        "it: `data` is the resource as it was at the time. Events are listed whether or not any endpoint "
        "subscribes to them.",
        operation_id="events_list",
    )
)
class EventViewSet(ListMixin, RetrieveMixin, TenantViewSet):
    """Every change recorded, as webhooks deliver it, with each delivery's attempts."""

    model = Event
    scope_resource = "webhooks"
    serializer_class = EventSerializer
    filterset_class = EventFilter
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        summary="Retrieve an event with its deliveries",
        description="One event, with every delivery of it to an endpoint (replays included) and each delivery's "
        "attempts: whether, when and how each endpoint received it.",
        operation_id="events_retrieve",
        responses={200: EventDetailSerializer},
    )
    def retrieve(self, request, pk=None):
        event = self.get_object()
        deliveries = _deliveries_with_attempts(event.deliveries.order_by("pk"))
        return Response({**event_as_dict(vars(event)), "deliveries": [delivery_as_dict(d) for d in deliveries]})

    @extend_schema(
        summary="Replay an event",
        description="Delivers the event again as a new delivery (with its own id and retry window): to "
        "`endpoint_id` if given, otherwise to every enabled endpoint that subscribes to its type now. The event "
        "keeps its id (only the delivery id is new), so a receiver that deduplicates by event id treats it as "
        "the same event. A disabled endpoint, or no subscribed endpoint, is a 422.",
        operation_id="events_replay",
        request=EventReplaySerializer,
        responses={201: DeliveryListSerializer},
    )
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        event = self.get_object()
        serializer = EventReplaySerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        endpoint = None
        endpoint_id = serializer.validated_data.get("endpoint_id")
        if endpoint_id is not None:
            endpoint = self.tenant.scope(WebhookEndpoint.objects).filter(pk=endpoint_id).first()
            if endpoint is None:
                raise UnknownEndpoint(
                    f"endpoint_id {endpoint_id} is not a webhook endpoint of this workspace.", fields=["endpoint_id"]
                )
        deliveries = services.event_replay(tenant=self.tenant, event=event, endpoint=endpoint)
        rows = _deliveries_with_attempts(Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).order_by("pk"))
        return Response({"data": [delivery_as_dict(d) for d in rows]}, status=status.HTTP_201_CREATED)
