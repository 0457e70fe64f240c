from rest_framework.routers import SimpleRouter

from .views import StatusLogEntryViewSet

router = SimpleRouter(trailing_slash=False)
router.register("status-log", StatusLogEntryViewSet, basename="status-log-entry")

urlpatterns = router.urls
