"""The Ed25519 key that signs the ledger's checkpoints, kept outside the archive file.

Keys use the signed-note key formats of golang.org/x/mod/sumdb/note (what C2SP tlog-checkpoint verifiers
read): the private key file holds ``PRIVATE+KEY+<name>+<key id>+<base64(0x01 || seed)>``, the public
(verifier) key is ``<name>+<key id>+<base64(0x01 || public key)>``, the key id being the first 4 bytes of
SHA-256(name || "\\n" || 0x01 || public key), in hex. ``hepza keys export --pem`` gives the public key as
PEM too, for openssl.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from archive.errors import ArchiveError

_ED25519 = b"\x01"  # the note formats' algorithm byte
_NAME_RE = re.compile(r"^[^\s+]+$")


class KeyError_(ArchiveError):  # noqa: N801 (KeyError is a builtin)
    """A signing or public key that cannot be read or used."""


class KeyExistsError(KeyError_):
    """``hepza keys init`` never overwrites a key."""


def default_key_path(config_file: Path | None) -> Path:
    """Where the signing key lives unless the ``signing_key`` setting says: beside the config file in use,
    else in the user's configuration folder ($XDG_CONFIG_HOME/hepza, ~/.config/hepza)."""
    if config_file is not None:
        return config_file.resolve().parent / "hepza-signing.key"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "hepza" / "signing.key"


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + _ED25519 + public).digest()[:4]


@dataclass(frozen=True)
class PublicKey:
    name: str
    raw: bytes  # the 32 bytes of the Ed25519 public key

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.raw)

    def verifier(self) -> str:
        """The note verifier key: ``name+keyid+base64(0x01||key)``."""
        return f"{self.name}+{self.key_id.hex()}+{base64.b64encode(_ED25519 + self.raw).decode()}"

    def pem(self) -> str:
        key = Ed25519PublicKey.from_public_bytes(self.raw)
        return key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """A verifier key as :meth:`verifier` writes it (its key id checked)."""
        parts = text.strip().split("+", 2)
        try:
            name, hex_id, encoded = parts
            blob = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise KeyError_(f"not a note verifier key: {text[:60]!r}") from None
        if len(blob) != 33 or blob[:1] != _ED25519 or key_id(name, blob[1:]).hex() != hex_id:
            raise KeyError_(f"not an Ed25519 note verifier key (or its key id is wrong): {text[:60]!r}")
        return cls(name, blob[1:])


@dataclass(frozen=True)
class SigningKey:
    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return PublicKey(self.name, raw)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    def encoded(self) -> str:
        seed = self.private.private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        public = self.public
        return f"PRIVATE+KEY+{self.name}+{public.key_id.hex()}+{base64.b64encode(_ED25519 + seed).decode()}"


def default_key_name() -> str:
    """``hepza-<host>``: who signed, as the note's signature line shows it."""
    host = re.sub(r"[\s+]", "-", socket.gethostname()) or "local"
    return f"hepza-{host}"


def create_key(path: Path, name: str | None = None) -> SigningKey:
    """A new key written to ``path`` (readable by its owner only); refuses to overwrite one."""
    name = name or default_key_name()
    if not _NAME_RE.match(name):
        raise KeyError_(f"a key name has no spaces or '+': {name!r}")
    key = SigningKey(name, Ed25519PrivateKey.generate())
    # Written whole under a temporary name, then linked into place: two crawls making the key at once
    # never read a half-written file, and the one that comes second finds the other's key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key.encoded() + "\n")
        os.link(temporary, path)
    except FileExistsError:
        raise KeyExistsError(f"a key exists at {path}; it is never overwritten") from None
    except OSError as exc:
        raise KeyError_(f"cannot write the key {path}: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)
    return key


def load_key(path: Path) -> SigningKey:
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise KeyError_(f"cannot read the signing key {path}: {exc.strerror or exc}") from None
    parts = text.split("+", 4)
    try:
        private, word, name, hex_id, encoded = parts
        blob = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise KeyError_(f"{path} is not a note signing key") from None
    if (private, word) != ("PRIVATE", "KEY") or len(blob) != 33 or blob[:1] != _ED25519:
        raise KeyError_(f"{path} is not an Ed25519 note signing key")
    key = SigningKey(name, Ed25519PrivateKey.from_private_bytes(blob[1:]))
    if key.public.key_id.hex() != hex_id:
        raise KeyError_(f"{path}: the key id does not match the key")
    return key


def key_for_archive(path: Path, db_path: str) -> tuple[SigningKey, bool]:
    """The signing key at ``path``, created there when missing; (key, created). A key path inside the
    archive's own file or files folder is refused: a key kept with what it signs attests nothing."""
    real = Path(os.path.realpath(path))
    archive = Path(os.path.realpath(db_path))
    if real == archive or Path(f"{archive}.files") in real.parents:
        raise KeyError_(f"the signing key {path} must be kept outside the archive")
    if not real.exists():
        try:
            return create_key(real), True
        except KeyExistsError:
            pass  # another run made it just now
    return load_key(real), False
