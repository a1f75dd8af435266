"""pmprb key: the Ed25519 key that signs checkpoints (kept outside the database)."""

from __future__ import annotations

import click

from pmprb import i18n
from pmprb.commands._common import echo_json, get_ctx, info, json_option
from pmprb.commands._store import read, run_as

def register(main: click.Group) -> None:
    @main.group("key")
    def key_group():
        """Ed25519 signing keys for checkpoints: the private key stays in your config directory."""

    @key_group.command("init")
    @click.option("--new", "new", is_flag=True, help="Make a new key even if one exists (the old one stays registered).")
    def init_cmd(new):
        """Create your private key (user config directory, mode 0600) and
        register its public key with you in the database."""
        from pmprb.assessments.audit import signing
        from pmprb.assessments.setup import people
        from pmprb.assessments.setup.permissions import resolve_actor

        username = read(lambda s: resolve_actor(s, get_ctx().actor).username)
        path = signing.key_path(username)
        if path.is_file() and not new:
            info(i18n.t("keycmd.exists", path=path))
            public = signing.public_of(signing.load_private(path))
        else:
            public = signing.generate(path)
            info(i18n.t("keycmd.created", path=path))
        fp = signing.fingerprint(public)
        _key, created = run_as(lambda s, actor: people.register_key(s, actor, public, fp))
        info(i18n.t("keycmd.registered" if created else "keycmd.already", username=username, fingerprint=fp))
        click.echo(signing.public_pem(public), nl=False)

    @key_group.command("show")
    @click.option("--all", "show_all", is_flag=True, help="Every registered key, not only yours.")
    @json_option
    def show_cmd(show_all, as_json):
        """Your local key's fingerprint and the public keys registered in the database."""
        from pmprb.assessments.audit import signing
        from pmprb.assessments.setup import people
        from pmprb.assessments.setup.permissions import resolve_actor

        def op(s):
            me = None if show_all and not get_ctx().actor else resolve_actor(s, get_ctx().actor)
            return (me.username if me else None), people.keys_of(s, None if show_all else me.id)

        username, keys = read(op)
        if as_json:
            echo_json(keys)
            return
        if username:
            path = signing.key_path(username)
            if path.is_file():
                fp = signing.fingerprint(signing.public_of(signing.load_private(path)))
                info(i18n.t("keycmd.local", username=username, path=path, fingerprint=fp))
            else:
                info(i18n.t("keycmd.no_local", username=username, path=path))
        for k in keys:
            click.echo(f"{k['username']}  {k['algorithm']}  {k['fingerprint']}  {k['created_at']}")
            click.echo(signing.public_pem(k["public_key"]), nl=False)
