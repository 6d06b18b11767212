"""The `sanxiang` command: Django's management commands plus ours, with the settings module preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    from sanxiang.core.files import restrict_process

    restrict_process()  # the database, stored files, uploads and keys this process creates are owner-only
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings so a bad SANXIANG_* value stops us here
    except ImproperlyConfigured as error:
        print(f"sanxiang: {error}", file=sys.stderr)
        sys.exit(2)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sanxiang", *sys.argv[1:]])


if __name__ == "__main__":
    main()
