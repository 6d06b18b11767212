from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.calendar import schedule_import

    schedule_import(year_model=apps.get_model("core", "CalendarYear"), day_model=apps.get_model("core", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
