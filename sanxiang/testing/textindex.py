"""What a search index table holds, row by row, to compare what the services kept with a rebuild."""

from django.db import connection

from sanxiang.core.textindex import TextIndex


def index_rows(index: TextIndex) -> list[tuple]:
    key, text = (index.key, "::text") if connection.vendor == "postgresql" else ("rowid", "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key}, pairs{text}, singles{text} FROM {index.table} ORDER BY {key}")
        return cursor.fetchall()
