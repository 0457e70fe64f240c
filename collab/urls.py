from django.urls import path

from . import views

app_name = "collab"

urlpatterns = [
    path("demo/", views.demo_page, name="demo"),
    path("demo/token", views.demo_token, name="demo-token"),
]
