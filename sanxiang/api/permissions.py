"""What a token's scope allows, on top of its holder's roles: a read token never writes, a partner token reads only
the open data (双公示) an endpoint declares `partner_readable`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from sanxiang.api.models import ApiToken, TokenScope


class TokenScopeDenied(exceptions.APIException):
    """403 with its own code, so a client can tell a token's scope from its holder's roles."""

    status_code = 403
    default_code = "token_scope"
    default_detail = _("此令牌的范围不允许这项操作。")


class TokenScopePermission(BasePermission):
    """Requests made with a session (or no token) pass; requests made with a token are held to its scope. An
    endpoint that declares `token_scope_exempt` (revoking the token itself) is open to every scope."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or token.scope == TokenScope.WRITE:
            return True
        if getattr(view, "token_scope_exempt", False):
            return True
        if request.method not in SAFE_METHODS:
            raise TokenScopeDenied(
                _("此令牌的范围是“%(scope)s”，只能读取，不能提交修改；请申请读写令牌。")
                % {"scope": token.get_scope_display()}
            )
        if token.scope == TokenScope.PARTNER and not getattr(view, "partner_readable", False):
            raise TokenScopeDenied(_("对接平台令牌只能读取公开数据（双公示、处罚决定公示）。"))
        return True
