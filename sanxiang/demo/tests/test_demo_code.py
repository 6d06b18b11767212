from io import StringIO

from django.core.management import call_command

from sanxiang.agencies.services import otp_device_register
from sanxiang.demo.agencies import DEMO_TOTP_SEED


def test_the_demo_code_command_prints_a_code_that_verifies(world):
    device = otp_device_register(actor=None, staff=world.people.officer, seed=DEMO_TOTP_SEED, name="演示验证器")
    out = StringIO()
    call_command("demo", "--code", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)
