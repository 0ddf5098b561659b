"""``ccin-learn credentials``: the issuer key, issuing from a gradebook, verifying."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def credentials() -> None:
    """Signed micro-credentials (Open Badges 3.0) and PDF certificates."""


@credentials.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="Where to write the key files.",
)
def keygen(folder: Path) -> None:
    """Create the awarding body's signing key (owner-only) and the public key to publish."""
    from ccin_learn.credentials.keys import generate_key  # lazy: start-up speed

    private, public, did = generate_key(folder)
    click.echo(f"Private key (keep it safe; readable only by you): {private}")
    click.echo(f"Public key to publish: {public}")
    click.echo(f"Issuer id: {did}")


@credentials.command()
@click.option(
    "--course",
    "course_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The cohort folder.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the badges, certificates and register.csv.",
)
@click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("issuer-key.pem"),
    show_default=True,
    help="The issuer's private key.",
)
def issue(course_dir: Path, output: Path, key: Path) -> None:
    """Issue each earned credential once: badge, certificate and register line."""
    from ccin_learn.credentials.issue import issue_credentials  # lazy: start-up speed
    from ccin_learn.credentials.keys import load_private_key  # lazy: start-up speed
    from ccin_learn.grading.cohort import open_cohort  # lazy: start-up speed

    signing_key = load_private_key(key)
    decisions = issue_credentials(open_cohort(course_dir), output, signing_key)
    issued = [d for d in decisions if d.issued]
    click.echo(f"Issued {len(issued)} credential(s) into {output}.")
    for d in issued:
        click.echo(f"  issued: {d.learner} - {d.credential}")
    for d in decisions:
        if not d.issued and d.reason != "already issued":
            click.echo(f"  not yet: {d.learner} - {d.credential}: {d.reason}")


@credentials.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The awarding body's published public key; without it, any issuer's "
    "signature is accepted.",
)
def verify(file: Path, public_key: Path | None) -> None:
    """Check a credential's signature and structure (exit 1 if it fails)."""
    from ccin_learn.credentials.badge import summary  # lazy: start-up speed
    from ccin_learn.credentials.badge import verify as check  # lazy: start-up speed
    from ccin_learn.credentials.keys import load_public_key  # lazy: start-up speed
    from ccin_learn.errors import KitError  # lazy: start-up speed

    try:
        token = file.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError) as err:
        raise KitError(f"{file}: not a readable credential file") from err
    pinned = load_public_key(public_key) if public_key else None
    info = summary(check(token, pinned))
    click.echo(
        f"Valid: {info['credential']} awarded to {info['learner']} "
        f"({info['learner_id']}) by {info['issuer']} on {info['issued']}, score "
        f"{info['score']}%. Id {info['id']}."
    )
