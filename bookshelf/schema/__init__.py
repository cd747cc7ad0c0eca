"""The schema's machinery: the engine `flask db` connects through, the limits a migration
runs under, SQL that revisions and migrations/env.py share, and whether a database's
schema matches the code."""
