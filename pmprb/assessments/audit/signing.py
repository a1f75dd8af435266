"""Ed25519 keys that sign checkpoints; the private key never enters the database.

``pmprb key init`` writes the private key (PKCS#8 PEM) to the user's
configuration directory, readable by the user only (mode 0600, folder
0700), and registers the public key with the person (``person_key``, an
event of the institution chain). An auditor verifies a signed checkpoint
with the public key: the one registered in the database, or better, one
obtained outside it (``--public-key``), since whoever can rewrite the
database can also register a key of their own.

``cryptography`` is imported only when a key is used.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import platformdirs

from pmprb import i18n
from pmprb.errors import NotFoundError, ValidationError

ALGORITHM = "ed25519"

def key_dir() -> Path:
    """``<user config dir>/pmprb/keys`` (``PMPRB_KEY_DIR`` overrides)."""
    env = os.environ.get("PMPRB_KEY_DIR", "").strip()
    return Path(env).expanduser() if env else Path(platformdirs.user_config_dir("pmprb", appauthor=False)) / "keys"


def key_path(username: str) -> Path:
    return key_dir() / f"{username}.ed25519.pem"


def generate(path: Path) -> str:
    """Write a new private key to ``path`` (mode 0600); return the public key (base64)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.replace(tmp, path)
    return public_of(key)


def load_private(path: Path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not path.is_file():
        raise NotFoundError(i18n.t("sign.no_key", path=path))
    mode = path.stat().st_mode & 0o777
    if os.name == "posix" and mode & 0o077:
        raise ValidationError(i18n.t("sign.loose_mode", path=path, mode=mode))
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValidationError(i18n.t("sign.bad_key", path=path, error=exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValidationError(i18n.t("sign.bad_key", path=path, error=type(key).__name__))
    return key


def public_of(private_key) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """SHA-256 of the raw public key (hex): what people compare by eye."""
    return hashlib.sha256(_raw_public(public_key_b64)).hexdigest()


def _short(value: str, limit: int = 60) -> str:
    """A value echoed in a message: a whole file read by mistake is not printed."""
    value = " ".join(str(value).split())
    return value if len(value) <= limit else value[:limit - 1] + "\u2026"


def _raw_public(value: str) -> bytes:
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (ValueError, AttributeError):
        raw = b""
    if len(raw) != 32:
        raise ValidationError(i18n.t("sign.bad_public", value=_short(value)))
    return raw


def read_public(value: str) -> str:
    """A public key given by an auditor: base64 of the raw key, a PEM file's
    text, or a path to either. Returns base64 of the raw key."""
    from cryptography.hazmat.primitives import serialization

    text = value
    path = Path(value).expanduser()
    if len(value) < 4096 and path.is_file():
        from pmprb.engine.safe_input import read_bytes

        text = read_bytes(path).decode("utf-8", errors="replace")  # bounded: a key file is a few hundred bytes
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except ValueError:
            raise ValidationError(i18n.t("sign.bad_public", value=_short(value))) from None
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")
    _raw_public(text)
    return text


def public_pem(public_key_b64: str) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(_raw_public(public_key_b64))
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def sign(private_key, message: bytes) -> str:
    return base64.b64encode(private_key.sign(message)).decode("ascii")


def verify(public_key_b64: str, message: bytes, signature_b64: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(_raw_public(public_key_b64)).verify(
            base64.b64decode(signature_b64, validate=True), message)
        return True
    except (InvalidSignature, ValueError):
        return False
