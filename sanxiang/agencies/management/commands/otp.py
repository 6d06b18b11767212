from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.agencies.models import User
from sanxiang.agencies.services import otp_device_reset, otp_enrolment_issue


class Command(BaseCommand):
    help = (
        "签发或重置账号的动态验证码绑定（首个管理员、无人可在工作台操作时） / "
        "issue or reset an account's authenticator enrolment (the first administrator, or nobody left to do it)"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("issue", "签发绑定 / issue an enrolment"),
            ("reset", "重置并重新签发 / reset and re-issue"),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("username")
            action.add_argument("--reason", required=True, help="记入账本的原因 / the reason, ledgered")

    def handle(self, *args, action, username, reason, **options):
        staff = User.objects.filter(username=username).select_related("agency").first()
        if staff is None:
            raise CommandError(f"未知账号 / unknown account: {username}")
        service = otp_enrolment_issue if action == "issue" else otp_device_reset
        try:
            enrolment = service(actor=None, staff=staff, reason=reason)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        until = timezone.localtime(enrolment.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stdout.write(f"{username}: 登录时扫码绑定，{until} 前有效 / binds at next login, until {until}")
