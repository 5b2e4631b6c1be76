"""The ledger's commands: ``hepza keys``, ``verify``, ``proof``, ``verify-proof`` and ``stamp``
(docs/evidence.md). Exit codes: 0 sound, 1 a finding (tampered archive, failing proof, no stamp), 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import click

from archive.evidence.keys import KeyError_, PublicKey, create_key, load_key


def _trusted(text: str | None) -> PublicKey | None:
    """A pinned public key: a note verifier key, or a file holding one (or the private key file)."""
    if not text:
        return None
    path = Path(text)
    if path.is_file():
        content = path.read_text().strip()
        if content.startswith("PRIVATE+KEY+"):
            return load_key(path).public
        text = content
    return PublicKey.parse(text)


def verify_archive(archive, values: dict, trusted: PublicKey | None = None):
    """The ledger check of one open archive (``hepza verify`` and ``hepza check``); raises Problem."""
    from archive.evidence import tsa
    from archive.evidence.verify import verify
    from archive.files import files_dir

    roots = tsa.load_roots([values["tsa_certificate"]]) if values.get("tsa_certificate") else None
    return verify(
        archive.db.conn,
        body=archive.capture_body,
        files_folder=files_dir(archive.path),
        trusted=trusted,
        tsa_certificates=roots,
    )


def add_commands(group: click.Group, cli: ModuleType) -> None:
    """Add the ledger's commands to the ``hepza`` group."""

    @group.group()
    def keys() -> None:
        """The Ed25519 key that signs the archive's checkpoints (kept outside the archive).

        Example: hepza keys init
        """

    @keys.command("init")
    @click.option(
        "--path", "key_file", default=None, help="Where to write it. [default: the signing_key setting]"
    )
    @click.option("--name", default=None, help="The signer's name in checkpoints. [default: hepza-<host>]")
    @click.option("--config", "config_file", default=None, help="TOML config file.")
    def keys_init(key_file, name, config_file) -> None:
        """Create the signing key and print its public key (never overwrites a key).

        Example: hepza keys init --path ~/.config/hepza/signing.key
        """
        from archive.evidence.seal import key_path

        path = Path(key_file) if key_file else key_path(cli._settings(config_file), config_file)
        try:
            key = create_key(path, name)
        except KeyError_ as exc:
            raise cli.UserError(str(exc)) from None
        click.echo(f"signing key written to {path}")
        click.echo(key.public.verifier())

    @keys.command("export")
    @click.option("--path", "key_file", default=None, help="The key file. [default: the signing_key setting]")
    @click.option("--pem", is_flag=True, help="Print the public key as PEM (for openssl) instead.")
    @click.option("--config", "config_file", default=None, help="TOML config file.")
    def keys_export(key_file, pem, config_file) -> None:
        """Print the public key: a note verifier key (name+id+key), or PEM.

        Example: hepza keys export --pem > hepza-public.pem
        """
        from archive.evidence.seal import key_path

        path = Path(key_file) if key_file else key_path(cli._settings(config_file), config_file)
        try:
            public = load_key(path).public
        except KeyError_ as exc:
            raise cli.UserError(str(exc)) from None
        click.echo(public.pem().rstrip("\n") if pem else public.verifier())

    @group.command("verify")
    @cli.archive_options
    @click.option("--public-key", default=None, help="Pin the signer: a verifier key, or a key file.")
    def verify_command(db, config_file, public_key) -> None:
        """Check the archive against its ledger: every leaf from its rows and bytes, the tree, every
        checkpoint's signature and consistency, time-stamps. Exit 0 when the archive is exactly what its
        last checkpoint signed, 1 naming the first row that differs, 2 usage error.

        Example: hepza verify --db hepza.db
        """
        from archive.evidence.verify import Problem

        values = cli._settings(config_file, db=db)
        try:
            trusted = _trusted(public_key)
        except KeyError_ as exc:
            raise cli.UserError(str(exc)) from None
        with cli._archive(values["db"]) as archive:
            try:
                report = verify_archive(archive, values, trusted)
            except Problem as exc:
                click.echo(f"hepza verify: {exc}", err=True)
                sys.exit(1)
        stamps = f", {report.timestamps} time-stamps" if report.timestamps else ""
        click.echo(
            f"ok: {report.leaves} leaves, {report.checkpoints} checkpoints{stamps}, signed by {report.signer}"
        )

    @group.command("proof")
    @click.argument("article")
    @cli.archive_options
    @click.option("--version", "number", type=click.IntRange(1), default=None, help="[default: the newest]")
    @click.option("--output", "-o", type=click.Path(dir_okay=False), required=True, help="The bundle (JSON).")
    def proof_command(article, db, config_file, number, output) -> None:
        """Write the proof bundle of one version of an article (by id or URL): its content and hashes, the
        inclusion proofs of its version and capture, the checkpoint and the public key.

        Example: hepza proof 12 --version 2 --db hepza.db --output article-12-v2.json
        """
        from archive.evidence.proof import ProofError, build_proof, dumps
        from archive.history import resolve_article

        if not Path(output).resolve().parent.is_dir():
            raise cli.UserError(f"no folder for {output}")
        with cli._archive(cli._archive_path(db, config_file)) as archive:
            try:
                bundle = build_proof(archive.db.conn, resolve_article(archive, article), number)
            except (LookupError, ProofError) as exc:
                raise cli.UserError(str(exc).strip("'\"")) from None
        try:
            Path(output).write_text(dumps(bundle), encoding="utf-8")
        except OSError as exc:
            raise cli.UserError(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"proof of article {bundle['article_id']} version {bundle['version']} written to {output}")

    @group.command("verify-proof")
    @click.argument("bundle", type=click.Path(dir_okay=False))
    @click.option("--public-key", default=None, help="Pin the signer: a verifier key, or a key file.")
    def verify_proof_command(bundle, public_key) -> None:
        """Check a proof bundle with nothing but the file (and, to pin the signer, its public key).
        Exit 0 it holds, 1 it does not, 2 usage error.

        Example: hepza verify-proof article-12-v2.json
        """
        from archive.evidence.proof import ProofError, verify_bundle

        try:
            text = Path(bundle).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise cli.UserError(f"cannot read {bundle}: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            trusted = _trusted(public_key)
        except KeyError_ as exc:
            raise cli.UserError(str(exc)) from None
        try:
            result = verify_bundle(text, trusted)
        except ProofError as exc:
            click.echo(f"hepza verify-proof: {exc}", err=True)
            sys.exit(1)
        click.echo(
            f"ok: article {result['article_id']} version {result['version']} (content {result['content_hash']}) "
            f"is in the tree of {result['tree_size']} signed by {result['signer']}"
        )

    @group.command("stamp")
    @cli.archive_options
    @cli.setting_option("tsa_url")
    def stamp_command(db, config_file, tsa_url) -> None:
        """Ask the time-stamping authority for a token over the last checkpoint (when it has none).
        Exit 0 stamped (or nothing to stamp), 1 the authority could not be had, 2 usage error.

        Example: hepza stamp --db hepza.db --tsa-url https://freetsa.org/tsr
        """
        from archive.evidence import tsa

        values = cli._settings(config_file, db=db, tsa_url=tsa_url)
        if not values["tsa_url"]:
            raise cli.UserError("no time-stamping authority: set tsa_url")
        with cli._archive(values["db"], write=True) as archive:
            try:
                done = tsa.stamp_latest(archive.db.conn, values["tsa_url"], values["tsa_timeout"])
            except tsa.StampError as exc:
                click.echo(f"hepza stamp: {exc}", err=True)
                sys.exit(1)
        if done is None:
            click.echo("nothing to stamp: the last checkpoint has its token (or there is none)")
        else:
            click.echo(f"checkpoint {done[0]} time-stamped at {done[1].isoformat()}")
