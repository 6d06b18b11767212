from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.core.rules_data import as_rows

    Rule = apps.get_model("core", "Rule")
    for row in as_rows():
        Rule.objects.get_or_create(key=row["key"], agency_code="", defaults=row)
    # the withdrawal rule now names art 85, which makes its "三日" working days
    Rule.objects.filter(key="publication.withdraw_days", agency_code="").update(
        citation="《行政处罚法》第四十八条、第八十五条（“三日”指工作日）"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_review_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
