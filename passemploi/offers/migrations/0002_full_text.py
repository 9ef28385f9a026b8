"""Full-text search structures that the ORM does not model.

PostgreSQL: the ``unaccent`` extension, a ``pe_french`` text search configuration (French
stemming after unaccent), a stored generated ``search_vector`` column (title A, description B,
company C) and its GIN index. SQLite: an FTS5 external-content table (accents removed, no
stemming) kept in step by triggers. Other back ends get nothing (the search then falls back to
``icontains``)."""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'pe_french') THEN
            CREATE TEXT SEARCH CONFIGURATION pe_french (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION pe_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    """
    ALTER TABLE offers_offer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('pe_french'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('pe_french'::regconfig, coalesce(description, '')), 'B')
        || setweight(to_tsvector('pe_french'::regconfig, coalesce(company, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX offers_search_vector ON offers_offer USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS offers_search_vector",
    "ALTER TABLE offers_offer DROP COLUMN IF EXISTS search_vector",
]

SQLITE = [
    """
    CREATE VIRTUAL TABLE offers_offer_fts USING fts5(
        title, description, company,
        content='offers_offer', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER offers_offer_fts_insert AFTER INSERT ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(rowid, title, description, company)
        VALUES (new.id, new.title, new.description, new.company);
    END
    """,
    """
    CREATE TRIGGER offers_offer_fts_delete AFTER DELETE ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(offers_offer_fts, rowid, title, description, company)
        VALUES ('delete', old.id, old.title, old.description, old.company);
    END
    """,
    """
    CREATE TRIGGER offers_offer_fts_update AFTER UPDATE ON offers_offer BEGIN
        INSERT INTO offers_offer_fts(offers_offer_fts, rowid, title, description, company)
        VALUES ('delete', old.id, old.title, old.description, old.company);
        INSERT INTO offers_offer_fts(rowid, title, description, company)
        VALUES (new.id, new.title, new.description, new.company);
    END
    """,
    "INSERT INTO offers_offer_fts(offers_offer_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS offers_offer_fts_insert",
    "DROP TRIGGER IF EXISTS offers_offer_fts_delete",
    "DROP TRIGGER IF EXISTS offers_offer_fts_update",
    "DROP TABLE IF EXISTS offers_offer_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
