"""Plans approved before approval froze their shares: each takes the percents its committed JSON holds, which is
what its draw used."""

import json

from django.db import migrations


def freeze(apps, schema_editor):
    Plan = apps.get_model("inspections", "Plan")
    PlanCommitment = apps.get_model("inspections", "PlanCommitment")
    for commitment in PlanCommitment.objects.exclude(plan__status="draft").iterator(chunk_size=10):
        Plan.objects.filter(pk=commitment.plan_id).update(percents=json.loads(bytes(commitment.body))["percents"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0004_approvals")]

    operations = [migrations.RunPython(freeze, migrations.RunPython.noop)]
