from django.urls import path

from .views import calendar_feed

urlpatterns = [path("<str:token>.ics", calendar_feed, name="leave_calendar_feed")]
