from rest_framework.routers import SimpleRouter

from .views import WorkloadCheckinViewSet

router = SimpleRouter(trailing_slash=False)
router.register("workload-checkins", WorkloadCheckinViewSet, basename="workload-checkin")

urlpatterns = router.urls
