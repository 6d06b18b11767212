"""The public part of publicity's API v1 for subscriptions (订阅, no login): ask for one — the confirmation goes to the
address, never into the answer, so only the mailbox's owner can confirm —, confirm it, and cancel it, each by the
token its message carries. Asking is rate-limited per client address with the portal's form."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from sanxiang.api.forms import schema_of, validated
from sanxiang.api.throttling import SubscriptionRateThrottle
from sanxiang.api.views import PublicApi
from sanxiang.publicity import selectors, services
from sanxiang.publicity.forms import SubscriptionForm
from sanxiang.publicity.services.subscriptions import CONFIRM_DAYS


class RequestedOut(serializers.Serializer):
    topic = serializers.CharField(help_text="enterprise、agency 或 kind")
    target = serializers.CharField(help_text="统一社会信用代码、机关代码或决定类别代码（已规范化）")
    status = serializers.CharField(help_text="始终为 confirmation_sent：是否已订阅不对外透露")
    message = serializers.CharField()


class SubscriptionOut(serializers.Serializer):
    topic = serializers.CharField()
    target = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class SubscriptionsApi(PublicApi):
    """订阅: a confirmation message is queued to the address (nothing else is sent until it is confirmed); the same
    answer whether the address already follows it or not."""

    throttle_classes = [SubscriptionRateThrottle]

    @extend_schema(request=schema_of(SubscriptionForm), responses={202: RequestedOut})
    def post(self, request):
        data = validated(SubscriptionForm(request.data))
        subscription = services.subscription_request(**data)
        answer = {
            "topic": subscription.topic,
            "target": subscription.target,
            "status": "confirmation_sent",
            "message": _("确认邮件已发送，请在 %(days)d 日内打开邮件中的链接完成订阅。") % {"days": CONFIRM_DAYS},
        }
        return Response(RequestedOut(answer).data, status=status.HTTP_202_ACCEPTED)


class SubscriptionConfirmApi(PublicApi):
    """确认订阅 by the token of the confirmation message (404 for an unknown token, 400 for an expired link)."""

    @extend_schema(request=None, responses=SubscriptionOut)
    def post(self, request, token: str):
        subscription = selectors.subscription_by_token(token=token, purpose="confirm")
        return Response(SubscriptionOut(services.subscription_confirm(subscription=subscription)).data)


class SubscriptionCancelApi(PublicApi):
    """退订 by the token every message carries (404 for an unknown token); the address is erased."""

    @extend_schema(request=None, responses=SubscriptionOut)
    def post(self, request, token: str):
        subscription = selectors.subscription_by_token(token=token, purpose="unsubscribe")
        return Response(SubscriptionOut(services.subscription_cancel(subscription=subscription)).data)
