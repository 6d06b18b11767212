"""`python -m sanxiang.testing.servers_worker`: an officer of 哈尔滨 with a password, an authenticator bound to the
test seed and a write token, made through the services in a migrated installation — for the test of several app
servers. Prints the token as JSON."""

import json
import os
import sys


def main() -> None:
    from django.db import transaction

    from sanxiang.agencies.models import Role
    from sanxiang.api.models import TokenScope
    from sanxiang.api.services import api_token_create
    from sanxiang.testing.factories import make_agency, make_staff
    from sanxiang.testing.otp import enrolled

    with transaction.atomic():
        province = make_agency(code="230000", name="黑龙江省生态环境厅", abbreviation="黑环")
        harbin = make_agency(parent=province, code="230100", name="哈尔滨市生态环境局", abbreviation="哈环")
        officer = make_staff(agency=harbin, roles=[Role.OFFICER], username="officer", full_name="李明")
        enrolled(officer)
        _token, raw = api_token_create(actor=None, user=officer, name="两台服务器", scope=TokenScope.WRITE)
    print(json.dumps({"token": raw}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    import django

    django.setup()
    main()
    sys.exit(0)
