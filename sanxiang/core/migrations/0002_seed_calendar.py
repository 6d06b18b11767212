from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.services import calendar_import_package

    calendar_import_package(
        year_model=apps.get_model("core", "CalendarYear"), day_model=apps.get_model("core", "CalendarDay"), record=False
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
