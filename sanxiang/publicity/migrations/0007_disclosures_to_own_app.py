"""Pre-disclosure (Disclosure, DisclosureVersion) moves to the disclosures app: its two tables are renamed to that
app's names and the models leave this app's state; disclosures migration 0001 takes them into its own. Every row,
index and constraint stays where it is; nothing is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("publicity", "0006_search_party")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="disclosure", table="disclosures_disclosure"),
                migrations.AlterModelTable(name="disclosureversion", table="disclosures_disclosureversion"),
            ],
            state_operations=[
                migrations.DeleteModel(name="DisclosureVersion"),
                migrations.DeleteModel(name="Disclosure"),
            ],
        ),
    ]
