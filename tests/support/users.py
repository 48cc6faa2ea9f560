"""Users and authenticated API clients."""
from __future__ import annotations

from rest_framework.test import APIClient

from composer.teams.services import create_auth_token


def make_user(django_user_model, username: str):
    return django_user_model.objects.create_user(username=username, password=f"{username}-pass-123",
                                                 email=f"{username}@example.com")


def token_client(user) -> APIClient:
    client = APIClient()
    _, token = create_auth_token(user)
    client.credentials(HTTP_X_AUTH_TOKEN=token)
    return client
