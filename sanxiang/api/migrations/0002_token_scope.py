from django.db import migrations, models


class Migration(migrations.Migration):
    """Tokens issued before scopes existed keep what they could do (write, within their holder's roles), so no
    device stops working on upgrade; new tokens are read-only unless asked otherwise. They still expire on the date
    they were issued with."""

    dependencies = [("api", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写"), ("partner", "对接平台")],
                default="write",
                max_length=10,
                verbose_name="范围",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "只读"), ("write", "读写"), ("partner", "对接平台")],
                default="read",
                max_length=10,
                verbose_name="范围",
            ),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.CheckConstraint(
                condition=models.Q(scope__in=["read", "write", "partner"]), name="token_scope_known"
            ),
        ),
    ]
