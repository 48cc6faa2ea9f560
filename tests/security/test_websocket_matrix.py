"""Every websocket route x every role, a non-member and an anonymous visitor, and another project's job in this
project's path, checked against the permission matrix. Routes come from composer/realtime/routing.py and each
consumer's `action`, so a new route is probed the day it lands; a consumer without an action fails here."""
from __future__ import annotations

import re

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from composer.realtime.routing import websocket_urlpatterns
from composer.teams.permissions import MATRIX
from tests.support.routes import ROLES

pytestmark = pytest.mark.django_db(transaction=True)

ROUTES = [(str(entry.pattern), entry.callback.consumer_class) for entry in websocket_urlpatterns]
FORBIDDEN, NOT_FOUND = 4403, 4404


def path_of(pattern: str, values: dict) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], pattern)


async def outcome(path: str, user) -> object:
    """"open" when the socket was accepted, else the close code it was refused with."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    await communicator.disconnect()
    return "open" if connected else code


def test_every_websocket_route_is_opened_as_the_matrix_says(world, foreign):
    assert len(ROUTES) >= 3
    for pattern, consumer in ROUTES:
        action = getattr(consumer, "action", None)
        assert action in MATRIX, f"{pattern}: {consumer.__name__} names no permission-matrix action"
        path = path_of(pattern, world["values"])
        for role in ROLES:
            member = role != "outsider" and world["project"].memberships.filter(user=world["users"][role]).first()
            allowed = bool(member) and member.role in MATRIX[action]
            got = async_to_sync(outcome)(path, world["users"][role])
            assert got == ("open" if allowed else FORBIDDEN), f"{role} on {pattern}: {got}"
            if allowed and "job_id" in pattern:
                elsewhere = path_of(pattern, {**world["values"], "job_id": foreign["job_id"]})
                got = async_to_sync(outcome)(elsewhere, world["users"][role])
                assert got == NOT_FOUND, f"{role} on {pattern} with another project's job: {got}"
        assert async_to_sync(outcome)(path, AnonymousUser()) == FORBIDDEN, f"anonymous on {pattern}"
