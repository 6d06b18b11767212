from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanxiang.api.authentication import BearerTokenAuthentication
from sanxiang.api.errors import LockedOut, PasswordChangeRequired
from sanxiang.api.models import ApiToken, TokenScope
from sanxiang.api.permissions import TokenScopePermission
from sanxiang.api.services import api_token_create, api_token_revoke
from sanxiang.api.throttling import LoginRateThrottle
from sanxiang.core.second_factor import Outcome, code_check, cooloff_seconds, is_locked_out
from sanxiang.core.security import security_event


class PublicApi(APIView):
    """An endpoint anyone may read: no login, and no session or token is looked at."""

    permission_classes = [AllowAny]
    authentication_classes = []


class OpenDataApi(APIView):
    """Open data anyone may read without a login; a partner platform (credit, ministry) may send its token to be
    counted as itself — at its own rate, not the anonymous one. No session is looked at."""

    permission_classes = [AllowAny, TokenScopePermission]
    authentication_classes = [BearerTokenAuthentication]
    partner_readable = True


class TokenObtainApi(APIView):
    """Exchange a staff user name, password and the current code of the account's authenticator (TOTP) for a bearer
    token (for the mobile app and partner systems): a token is obtained with both factors, like a workbench login.

    Wrong passwords and wrong codes count toward the same lock-out as the workbench's; while it lasts every attempt
    is answered 429 `locked_out`, even with the right password."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]

    class Credentials(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=128, style={"input_type": "password"})
        code = serializers.RegexField(r"^\d{6}$", help_text="动态验证码：验证器上当前显示的 6 位数字")
        name = serializers.CharField(max_length=100, required=False, default="api")
        scope = serializers.ChoiceField(
            choices=TokenScope.choices,
            required=False,
            default=TokenScope.READ,
            help_text="read（只读，默认）、write（读写）或 partner（对接平台：只读公开数据）",
        )

    @extend_schema(
        request=Credentials,
        responses={
            201: inline_serializer(
                "Token",
                {
                    "token": serializers.CharField(),
                    "name": serializers.CharField(),
                    "scope": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            )
        },
    )
    def post(self, request):
        data = self.Credentials(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        if is_locked_out(request, username):
            raise LockedOut(wait=cooloff_seconds())
        user = authenticate(request=request, username=username, password=data.validated_data["password"])
        if user is None:
            if is_locked_out(request, username):
                raise LockedOut(wait=cooloff_seconds())
            raise serializers.ValidationError(_("用户名或密码不正确。"), code="authentication_failed")
        outcome, _device = code_check(request=request, user=user, code=data.validated_data["code"])
        if outcome is Outcome.LOCKED:
            raise LockedOut(wait=cooloff_seconds())
        if outcome is Outcome.NOT_ENROLLED:
            raise PermissionDenied(
                _("此账号尚未绑定动态验证码，不能取得令牌。请先在工作台完成绑定。"), code="second_factor_not_enrolled"
            )
        if outcome is not Outcome.VERIFIED:
            raise serializers.ValidationError(
                _("动态验证码不正确或已用过，请输入验证器上当前显示的 6 位数字。"), code="second_factor_failed"
            )
        # authenticate() announces a failure (user_login_failed, which the audit log hears) but not a success.
        security_event(kind="login", request=request, user=user, detail={"method": "password"})
        if user.password_change_reason():
            raise PasswordChangeRequired()
        token, raw = api_token_create(
            actor=user, user=user, name=data.validated_data["name"], scope=data.validated_data["scope"]
        )
        return Response(
            {"token": raw, "name": token.name, "scope": token.scope, "expires_at": token.expires_at},
            status=status.HTTP_201_CREATED,
        )


class TokenRevokeApi(APIView):
    """Revoke the token this request was made with (whatever its scope)."""

    token_scope_exempt = True

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if not isinstance(request.auth, ApiToken):
            raise serializers.ValidationError(_("本次请求不是用令牌认证的。"), code="not_token_authenticated")
        api_token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
