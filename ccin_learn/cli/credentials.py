"""``ccin-learn credentials``: the issuer's keys and profile, issuing, revoking, verifying."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click
from click.decorators import FC


def default_key() -> Path:
    """keygen's default folder's RSA key (read lazily: the keys module loads cryptography)."""
    from ccin_learn.credentials.keys import PRIVATE_NAME, default_folder  # lazy: start-up speed

    return default_folder() / PRIVATE_NAME


COURSE = click.option(
    "--course",
    "course_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The cohort folder (its course.yaml names the awarding body).",
)
KEY = click.option(
    "--key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=default_key,
    show_default="keygen's folder",
    help="The issuer's private RSA key (issuer-key.pem); its Ed25519 key is read beside it.",
)


def output_folder(what: str) -> Callable[[FC], FC]:
    """``-o/--output``: a folder every command that writes or reads issued files needs."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(file_okay=False, path_type=Path),
        required=True,
        help=what,
    )


@click.group()
def credentials() -> None:
    """Signed micro-credentials (Open Badges 3.0) and PDF certificates."""


@credentials.command()
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the keys [default: $XDG_DATA_HOME/ccin-learn/issuer].",
)
def keygen(folder: Path | None) -> None:
    """Create the awarding body's signing keys in a folder only you can read."""
    from ccin_learn.credentials.keys import generate_key  # lazy: start-up speed

    rsa, ed, public = generate_key(folder)
    click.echo(f"Signing keys (keep them safe; readable only by you): {rsa}, {ed}")
    click.echo(f"Public key: {public}")
    click.echo("Next: publish your issuer profile with 'ccin-learn credentials publish'.")


@credentials.command()
@COURSE
@KEY
@output_folder("Folder to put on your website at the course.yaml's issuer_url.")
def publish(course_dir: Path, key: Path, output: Path) -> None:
    """Write the issuer profile (public keys) and the status list to publish."""
    from ccin_learn.credentials.keys import load_issuer_keys  # lazy: start-up speed
    from ccin_learn.credentials.status import publish as write  # lazy: start-up speed
    from ccin_learn.grading.cohort import open_cohort  # lazy: start-up speed

    course = open_cohort(course_dir).course
    profile, status = write(course, load_issuer_keys(key), output)
    url = course.awarding_body.issuer_url
    click.echo(f"Wrote {profile} and {status}.")
    click.echo(f"Publish the folder {output} at {url} (so {url}profile.json opens).")


@credentials.command()
@COURSE
@output_folder("Folder for the badges, certificates and register.csv.")
@KEY
@click.option(
    "--alg",
    type=click.Choice(["RS256", "EdDSA"]),
    default="RS256",
    show_default=True,
    help="The signature: RS256 every Open Badges verifier accepts, or EdDSA (Ed25519).",
)
@click.option(
    "--format",
    "form",
    type=click.Choice(["jwt", "di", "both"]),
    default="jwt",
    show_default=True,
    help="jwt: a signed .jwt file; di: a .json file with an embedded proof; both.",
)
def issue(course_dir: Path, output: Path, key: Path, alg: str, form: str) -> None:
    """Issue each earned credential once: badge, certificate and register line."""
    from ccin_learn.credentials.issue import Signing, issue_credentials  # lazy: start-up speed
    from ccin_learn.credentials.keys import load_issuer_keys  # lazy: start-up speed
    from ccin_learn.grading.cohort import open_cohort  # lazy: start-up speed

    signing = Signing(load_issuer_keys(key), alg, form)
    decisions = issue_credentials(open_cohort(course_dir), output, signing)
    issued = [d for d in decisions if d.issued]
    click.echo(f"Issued {len(issued)} credential(s) into {output}.")
    for d in issued:
        click.echo(f"  issued: {d.learner} - {d.credential}")
    for d in decisions:
        if not d.issued and d.reason != "already issued":
            click.echo(f"  not yet: {d.learner} - {d.credential}: {d.reason}")


@credentials.command()
@click.argument("credential")
@click.option("--reason", required=True, help="Why it is withdrawn (kept in the register).")
@COURSE
@output_folder("The folder the credential was issued into (with register.csv).")
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The published folder (from 'publish') whose status-list.jwt is re-signed.",
)
@KEY
def revoke(
    credential: str, reason: str, course_dir: Path, output: Path, site: Path, key: Path
) -> None:
    """Withdraw a credential (its id, or LEARNER/CREDENTIAL): re-sign the status list."""
    from ccin_learn.credentials.issue import revoke as withdraw  # lazy: start-up speed
    from ccin_learn.credentials.keys import load_issuer_keys  # lazy: start-up speed
    from ccin_learn.grading.cohort import open_cohort  # lazy: start-up speed

    course = open_cohort(course_dir).course
    row = withdraw(course, output, load_issuer_keys(key), site, credential, reason)
    click.echo(
        f"Revoked {row['credential']} of {row['learner_id']} ({row['credential_id']}) on "
        f"{row['revoked_at'][:10]}: {row['revoked_reason']}."
    )
    click.echo(f"Publish {site / 'status-list.jwt'} again so verifiers see it.")


@credentials.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--issuer-profile",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The issuer's profile.json, when offline [default: fetched from the issuer].",
)
@click.option(
    "--status-list",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The issuer's status-list.jwt, when offline [default: fetched].",
)
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Check against this public key (PEM) you hold, instead of the issuer's profile.",
)
def verify(
    file: Path, issuer_profile: Path | None, status_list: Path | None, public_key: Path | None
) -> None:
    """Check a credential (.jwt or .json) against its issuer's published keys (exit 1 if not)."""
    from ccin_learn.credentials import badge  # lazy: start-up speed
    from ccin_learn.credentials.issue import REGISTER, local_reasons  # lazy: start-up speed
    from ccin_learn.credentials.keys import load_public_key  # lazy: start-up speed
    from ccin_learn.errors import KitError  # lazy: start-up speed
    from ccin_learn.fileio import read_regular_file  # lazy: start-up speed

    text = read_regular_file(file, 1_000_000).decode("utf-8", "replace").strip()
    pinned = load_public_key(public_key) if public_key else None
    sources = badge.Sources(issuer_profile, status_list, pinned)
    reasons = local_reasons(file.parent.parent / REGISTER)
    if file.suffix == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise KitError(f"{file}: not a JSON credential") from err
        report = badge.verify_document(document, sources, reasons=reasons)
    else:
        report = badge.verify(text, sources, reasons=reasons)
    info = badge.summary(report.vc)
    who = f"{info['learner']} ({info['learner_id']})" if info["learner_id"] else info["learner"]
    click.echo(
        f"Valid: {info['credential']} awarded to {who} by {info['issuer']} on "
        f"{info['issued']}, score {info['score']}%. Id {info['id']}."
    )
    for line in report.checked:
        click.echo(f"  {line}")
    for line in report.not_checked:
        click.echo(f"  {line}")
