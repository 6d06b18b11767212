"""The search index of published decisions: an FTS5 table on SQLite, a tsvector table with GIN indexes on
PostgreSQL (see publicity/search.py for why character pairs). It is derived data, kept by the services; it has
no foreign key so that flushing the tables it derives from (tests) is never blocked by it."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE publicity_search (publication_id bigint PRIMARY KEY, pairs tsvector NOT NULL, "
            "singles tsvector NOT NULL)"
        )
        schema_editor.execute("CREATE INDEX publicity_search_pairs ON publicity_search USING gin (pairs)")
        schema_editor.execute("CREATE INDEX publicity_search_singles ON publicity_search USING gin (singles)")
    else:
        schema_editor.execute(
            "CREATE VIRTUAL TABLE publicity_search USING fts5(pairs, singles, "
            "tokenize='unicode61 remove_diacritics 0', detail=full)"
        )


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE publicity_search")


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
