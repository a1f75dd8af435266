"""Draft a migration from the model changes: ``python tools/new_migration.py "message" [--rev-id ID]``.

Builds a scratch SQLite database at the current heads, lets Alembic's
autogenerate compare it with the models, and writes the script to
``migrations/versions/``. Review the script before committing it.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from alembic import command

from pmprb.assessments.store.db import dispose_engines, open_db
from pmprb.assessments.store.migrate import alembic_config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message")
    parser.add_argument("--rev-id", default=None, help="revision id, e.g. 0002_consensus")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(f"sqlite:///{Path(tmp) / 'scratch.db'}", auto_create=False, check_schema=False)
        with db.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "heads")
            command.revision(alembic_config(conn), message=args.message, autogenerate=True, rev_id=args.rev_id)
        dispose_engines()


if __name__ == "__main__":
    main()
