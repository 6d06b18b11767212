"""The search index gains the party's name as "p"-marked tokens, so the portal's party filter is answered by the
index itself. Published decisions indexed before are indexed again (the index is derived data, not a record)."""

from django.db import migrations


def reindex(apps, schema_editor):
    # The service's own function, so the index holds exactly what it would hold for a decision published today.
    from sanxiang.publicity.services.lifecycle import index_publication

    Publication = apps.get_model("publicity", "Publication")
    for publication in (
        Publication.objects.filter(status="published").select_related("agency").iterator(chunk_size=1000)
    ):
        index_publication(publication)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0005_search_narrow_rows")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
