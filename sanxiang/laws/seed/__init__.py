"""The law library the repository carries: the versions the platform cites with their dates and official sources,
and a paraphrase of each cited article written here. No statute text: an agency imports the official text of a
law from the national database's download into its own installation (`sanxiang laws import`).

Loaded by migration laws.0002; a later migration that adds rows calls `seed_library` again.
"""

import datetime as dt

from sanxiang.laws.seed.environment import ENVIRONMENT
from sanxiang.laws.seed.instruments import INSTRUMENTS as CORE_INSTRUMENTS
from sanxiang.laws.seed.licensing import LICENSING_ARTICLES, LICENSING_INSTRUMENTS
from sanxiang.laws.seed.procedure import PROCEDURE

INSTRUMENTS: dict[str, dict] = {**CORE_INSTRUMENTS, **LICENSING_INSTRUMENTS}
ARTICLES: dict[str, dict[int, str]] = {**PROCEDURE, **ENVIRONMENT, **LICENSING_ARTICLES}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def instrument_fields(row: dict) -> dict:
    source_name, source_url = row["source"]
    return {
        "kind": row["kind"],
        "title": row["title"],
        "short_names": row.get("short_names", ""),
        "issuer": row["issuer"],
        "document_number": row.get("document_number", ""),
        "version_label": row["version_label"],
        "promulgated_on": _date(row.get("promulgated_on")),
        "effective_from": _date(row["effective_from"]),
        "effective_to": _date(row.get("effective_to")),
        "source_name": source_name,
        "source_url": source_url,
        "confidence": row["confidence"],
        "note": row.get("note", ""),
    }


def seed_library(instrument_model, article_model) -> None:
    """Add the versions and articles a database does not have yet; rows already there (and imported official
    texts) stay as they are."""
    for key, row in INSTRUMENTS.items():
        fields = instrument_fields(row)
        instrument, _created = instrument_model.objects.get_or_create(
            title=fields["title"], version_label=fields["version_label"], defaults=fields
        )
        for number, paraphrase in ARTICLES.get(key, {}).items():
            article_model.objects.get_or_create(
                instrument=instrument, number=number, defaults={"paraphrase": paraphrase}
            )
