"""The legal-review catalogue (ReviewRule) moves to the review app: its table is renamed to the review app's name and
the model leaves this app's state; review migration 0002 takes it into its own. No row is copied or lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_proposed_outcome")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="reviewrule", table="review_reviewrule")],
            state_operations=[migrations.DeleteModel(name="ReviewRule")],
        ),
    ]
