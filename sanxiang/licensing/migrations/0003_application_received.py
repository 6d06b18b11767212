from django.db import migrations, models


class Migration(migrations.Migration):
    """The window's whole list read newest first without sorting a city's applications (bench/licensing.py)."""

    dependencies = [("licensing", "0002_registered_licences")]

    operations = [
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["-received_on", "-id"], name="application_received"),
        ),
    ]
