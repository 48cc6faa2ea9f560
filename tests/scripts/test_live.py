"""The approvals websocket: members see a script's review state change (request, decision, superseding save)."""
from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from composer.realtime.routing import websocket_urlpatterns
from composer.scripts.approvals import approve, request_approval
from composer.scripts.services import create_script, save_script
from tests.support.factories import create_composition

pytestmark = pytest.mark.django_db(transaction=True)


def connect(project, user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/projects/{project.id}/approvals/")
    communicator.scope["user"] = user
    return communicator


def test_members_follow_a_request_its_decision_and_a_superseding_save(alice, bob, project):
    script = create_script(project, {"script_name": "Live", **create_composition()}, user=alice)

    async def watch() -> list[dict]:
        communicator = connect(project, bob)
        connected, _ = await communicator.connect()
        assert connected
        seen = []
        await database_sync_to_async(request_approval)(script, {}, user=alice)
        seen.append(await communicator.receive_json_from(timeout=5))
        await database_sync_to_async(approve)(script, {"comment": "Good"}, user=bob)
        seen.append(await communicator.receive_json_from(timeout=5))
        await database_sync_to_async(request_approval)(script, {}, user=alice)   # asks again for the same content
        seen.append(await communicator.receive_json_from(timeout=5))
        await database_sync_to_async(save_script)(script, {"script_name": "Live", **create_composition("Changed.")},
                                                  user=alice)
        seen.append(await communicator.receive_json_from(timeout=5))
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
        return seen

    seen = async_to_sync(watch)()
    assert {m["type"] for m in seen} == {"approval"} and {m["script_id"] for m in seen} == {script.id}
    assert seen[0]["approval"]["state"] == "PENDING" and seen[0]["approval"]["latest_request"]["requested_by"]
    assert seen[1]["approval"]["state"] == "APPROVED" and seen[1]["approval"]["approved_revision"] == 1
    assert seen[2]["approval"]["latest_request"]["state"] == "PENDING"
    # The save replaced the pending request: the latest revision is not approved and nothing waits.
    assert seen[3]["approval"]["state"] == "NONE"
    assert seen[3]["approval"]["latest_request"]["state"] == "SUPERSEDED"


def test_saves_that_replace_nothing_stay_quiet(alice, bob, project):
    script = create_script(project, {"script_name": "Quiet", **create_composition()}, user=alice)

    async def watch() -> bool:
        communicator = connect(project, bob)
        await communicator.connect()
        await database_sync_to_async(save_script)(script, {"script_name": "Quiet", **create_composition("Again.")},
                                                  user=alice)
        quiet = await communicator.receive_nothing(timeout=0.5)
        await communicator.disconnect()
        return quiet

    assert async_to_sync(watch)()


def test_strangers_cannot_listen(charlie, project):
    async def attempt():
        communicator = connect(project, charlie)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert async_to_sync(attempt)() == (False, 4403)
