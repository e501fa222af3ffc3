"""Pages of the portal app: home, sign-in and account pages."""

from django.urls import path

from portal import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
