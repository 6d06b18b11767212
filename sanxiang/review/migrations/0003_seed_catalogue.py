"""The province's default catalogue of major decisions (review/catalogue_data.py), unless one is there already (a
database seeded while the catalogue lived in the cases app)."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanxiang.review.catalogue_data import REVIEW_AGENCY, REVIEW_CITATION, REVIEW_RULES

    ReviewRule = apps.get_model("review", "ReviewRule")
    if not ReviewRule.objects.filter(agency_code=REVIEW_AGENCY).exists():
        for kind, value, description in REVIEW_RULES:
            ReviewRule.objects.create(
                agency_code=REVIEW_AGENCY, kind=kind, value=value, description=description, citation=REVIEW_CITATION
            )


class Migration(migrations.Migration):
    dependencies = [("review", "0002_reviewrule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
