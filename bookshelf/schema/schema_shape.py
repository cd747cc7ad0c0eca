"""A PostgreSQL schema's shape, read from its catalogue: enough to tell whether a round trip
of migrations (down, then up again) left it as it was."""

from sqlalchemy import text
from sqlalchemy.engine import Connection

# One line per column, index, constraint, trigger, function and sequence of the public
# schema, each as PostgreSQL itself prints its definition; an extension's own functions are
# left out, since a downgrade rightly leaves an extension others may use. Columns go by name, not by
# position: a column dropped and added again comes back last, which no query notices.
SHAPE = text(
    """
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
        || coalesce('(' || character_maximum_length || ')', '')
        || coalesce(' collate ' || collation_name, '')
        || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
        || coalesce(' default ' || column_default, '')
    FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL
    SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
        || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'trigger ' || pg_get_triggerdef(oid)
    FROM pg_trigger WHERE NOT tgisinternal
        AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
    UNION ALL
    SELECT 'function ' || oid::regprocedure || ' ' || md5(prosrc)
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT FROM pg_depend WHERE objid = pg_proc.oid AND deptype = 'e')
    UNION ALL
    SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = 'public'
    """
)


def schema_shape(connection: Connection) -> set[str]:
    return set(connection.execute(SHAPE).scalars())


def differences(expected: set[str], found: set[str]) -> list[str]:
    """What `found` lacks ("- ...") and has besides ("+ ..."), sorted."""
    return sorted(f"- {line}" for line in expected - found) + sorted(
        f"+ {line}" for line in found - expected
    )
