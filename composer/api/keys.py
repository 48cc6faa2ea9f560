"""The caller's own API credentials: AK/SK pairs and X-Auth-Tokens.

/v1/{project_id}/access-keys and /auth-tokens. A secret (SK or token) is in the POST response
only; lists never carry it. The SK itself stays stored, because verifying an SDK-HMAC-SHA256 signature needs it;
tokens are stored as SHA-256 digests.
"""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from composer.api import bodies
from composer.api.projects import ProjectAPIView
from composer.api.schema import ERROR
from composer.assets.payloads import iso
from composer.errors import json_object
from composer.teams import services
from composer.teams.models import AccessKey, AuthToken

ERRORS = {400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR}


def access_key_payload(key: AccessKey) -> dict:
    return {"ak": key.ak, "description": key.description, "project_id": key.project_id,
            "create_time": iso(key.created_at), "last_used_time": iso(key.last_used_at)}


def auth_token_payload(row: AuthToken) -> dict:
    return {"id": row.id, "prefix": row.prefix, "description": row.description,
            "create_time": iso(row.created_at), "last_used_time": iso(row.last_used_at)}


class AccessKeysView(ProjectAPIView):
    actions = {"GET": "keys.manage", "POST": "keys.manage"}

    @extend_schema(operation_id="list_access_keys", responses={200: bodies.ACCESS_KEY_LIST, **ERRORS},
                   summary="Your AK/SK pairs for this project (without the SK)")
    def get(self, request, project_id: str):
        keys = services.list_access_keys(request.user, self.project)
        return Response({"count": keys.count(), "access_keys": [access_key_payload(k) for k in keys]})

    @extend_schema(operation_id="create_access_key", request=bodies.DESCRIPTION,
                   responses={200: bodies.NEW_ACCESS_KEY, **ERRORS},
                   summary="Issue an AK/SK pair; the SK is in this response only")
    def post(self, request, project_id: str):
        description = services.credential_description(json_object(request.data).get("description"))
        key = services.create_access_key(request.user, self.project, description=description)
        return Response({**access_key_payload(key), "sk": key.sk})


class AccessKeyDetailView(ProjectAPIView):
    actions = {"DELETE": "keys.manage"}

    @extend_schema(operation_id="revoke_access_key", responses={204: None, **ERRORS},
                   summary="Revoke an AK/SK pair")
    def delete(self, request, project_id: str, ak: str):
        services.revoke_access_key(services.get_own_access_key(request.user, self.project, ak), user=request.user)
        return Response(status=204)


class AuthTokensView(ProjectAPIView):
    actions = {"GET": "keys.manage", "POST": "keys.manage"}

    @extend_schema(operation_id="list_auth_tokens", responses={200: bodies.AUTH_TOKEN_LIST, **ERRORS},
                   summary="Your X-Auth-Tokens (they act as you in every project you belong to)")
    def get(self, request, project_id: str):
        rows = services.list_auth_tokens(request.user)
        return Response({"count": rows.count(), "auth_tokens": [auth_token_payload(r) for r in rows]})

    @extend_schema(operation_id="create_auth_token", request=bodies.DESCRIPTION,
                   responses={200: bodies.NEW_AUTH_TOKEN, **ERRORS},
                   summary="Issue an X-Auth-Token; the token is in this response only")
    def post(self, request, project_id: str):
        description = services.credential_description(json_object(request.data).get("description"))
        row, token = services.create_auth_token(request.user, description=description, project=self.project)
        return Response({**auth_token_payload(row), "token": token})


class AuthTokenDetailView(ProjectAPIView):
    actions = {"DELETE": "keys.manage"}

    @extend_schema(operation_id="revoke_auth_token", responses={204: None, **ERRORS},
                   summary="Revoke an X-Auth-Token")
    def delete(self, request, project_id: str, token_id: str):
        row = services.get_own_auth_token(request.user, token_id)
        services.revoke_auth_token(row, user=request.user, project=self.project)
        return Response(status=204)
