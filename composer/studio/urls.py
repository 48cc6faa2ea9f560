from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from composer.studio import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login", auth_views.LoginView.as_view(template_name="studio/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("p/<str:project_id>/", views.dashboard, name="project"),
]
