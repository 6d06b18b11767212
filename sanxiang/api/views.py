from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.models import ApiToken
from sanxiang.api.services import api_token_create, api_token_revoke
from sanxiang.core.security import security_event


class PublicApi(APIView):
    """An endpoint anyone may read: no login, and no session or token is looked at."""

    permission_classes = [AllowAny]
    authentication_classes = []


class TokenObtainApi(APIView):
    """Exchange a staff user name and password for a bearer token (for the mobile app and partner systems)."""

    permission_classes = [AllowAny]
    authentication_classes = []

    class Input(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, style={"input_type": "password"})
        name = serializers.CharField(max_length=100, required=False, default="api")

    @extend_schema(
        request=Input,
        responses={
            201: inline_serializer("Token", {"token": serializers.CharField(), "name": serializers.CharField()})
        },
    )
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request=request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:
            raise serializers.ValidationError(_("用户名或密码不正确。"), code="authentication_failed")
        # authenticate() announces a failure (user_login_failed, which the audit log hears) but not a success.
        security_event(kind="login", request=request, user=user, detail={"method": "password"})
        token, raw = api_token_create(actor=user, user=user, name=data.validated_data["name"])
        return Response({"token": raw, "name": token.name}, status=status.HTTP_201_CREATED)


class TokenRevokeApi(APIView):
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            raise serializers.ValidationError(_("本次请求不是用令牌认证的。"), code="not_token_authenticated")
        api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
