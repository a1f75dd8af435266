"""Alembic environment for pmprb.

Normally run from code (``pmprb.assessments.store.migrate``), which passes an open
connection in ``config.attributes["connection"]``. From the command line:
``alembic -x url=sqlite:///path.db -c <an ini with script_location=pmprb/assessments/store/migrations> upgrade heads``.
"""

from alembic import context
from sqlalchemy import create_engine

from pmprb.assessments.store.models import UTCDateTime, metadata

config = context.config


def _render_item(type_, obj, autogen_context):
    """Scripts use plain SQLAlchemy types, so they never import pmprb code
    that may change later."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and type(obj).__name__ == "AutoString":  # sqlmodel's str column
        return f"sa.String(length={obj.length!r})" if obj.length else "sa.String()"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("pmprb migrations run online only (pmprb db upgrade)")
run_migrations_online()
