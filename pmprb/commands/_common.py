"""Options and helpers shared by command modules."""

from __future__ import annotations

import json

import click

json_option = click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


def info(message: str) -> None:
    """Messages and progress go to stderr so stdout stays data."""
    click.echo(message, err=True)


def get_ctx() -> "object":
    return click.get_current_context().find_root().obj
