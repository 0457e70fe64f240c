from rest_framework.routers import SimpleRouter

from .views import LeaveAdjustmentViewSet, LeaveLedgerViewSet, LeaveViewSet

router = SimpleRouter(trailing_slash=False)
# Before leave's own routes, which would read "ledger" as a leave id.
router.register("leave/ledger", LeaveLedgerViewSet, basename="leave-ledger")
router.register("leave/adjustments", LeaveAdjustmentViewSet, basename="leave-adjustment")
router.register("leave", LeaveViewSet, basename="leave")

urlpatterns = router.urls
