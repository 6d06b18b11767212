from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    # The review catalogue was seeded here too while it lived in this app; review migration 0003 seeds it now (and
    # leaves a catalogue seeded here alone).
    from sanxiang.cases.catalogue_data import COMMON_FACTORS, ILLUSTRATIVE, VIOLATIONS

    Violation = apps.get_model("cases", "Violation")
    DiscretionFactor = apps.get_model("cases", "DiscretionFactor")

    def money(value):
        return None if value is None else Decimal(str(value))

    for code, name, basis, text, fine_basis, low, high, m_low, m_high, of in VIOLATIONS:
        Violation.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                basis=basis,
                penalty_text=text,
                fine_basis=fine_basis,
                fine_min=money(low),
                fine_max=money(high),
                multiple_min=money(m_low),
                multiple_max=money(m_high),
                multiple_of=of,
                source="docs/domain.md §12",
            ),
        )
    if not DiscretionFactor.objects.exists():
        for order, (name, levels) in enumerate(COMMON_FACTORS):
            DiscretionFactor.objects.create(
                agency_code="",
                name=name,
                order=order,
                citation=ILLUSTRATIVE,
                levels=[{"label": label, "weight": weight} for label, weight in levels],
            )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
