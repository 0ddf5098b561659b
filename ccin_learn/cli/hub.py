"""``ccin-learn hub``: write and start a JupyterHub for the network's councils."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ccin_learn.errors import KitError
from ccin_learn.settings import (
    HOST,
    HUB_APP_PORT,
    HUB_PORT,
    NBGRADER_EXCHANGE,
    NBGRADER_SHARED,
)

port_type = click.IntRange(1, 65535)


@click.group()
def hub() -> None:
    """A JupyterHub: the course in a browser for the network's councillors and officers."""


@hub.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--admin",
    default="ccin-admin",
    show_default=True,
    help="The first administrator's user name (they sign up with it first).",
)
@click.option("--ip", default=HOST, show_default=True, help="Address the hub listens on.")
@click.option("--port", type=port_type, default=HUB_PORT, show_default=True, help="Public port.")
@click.option(
    "--hub-port",
    type=port_type,
    default=8081,
    show_default=True,
    help="Port of the hub's internal API (localhost only).",
)
@click.option(
    "--proxy-api-port",
    type=port_type,
    default=None,
    help="Port of the proxy's API (localhost only; default: --port + 1).",
)
@click.option(
    "--db-url-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file (mode 0600) holding a PostgreSQL URL, read at each start "
    "(default: $CCIN_HUB_DB_URL, else a SQLite file in FOLDER).",
)
@click.option(
    "--app-port",
    type=port_type,
    default=HUB_APP_PORT,
    show_default=True,
    help="Port of the self-assessment app's service (localhost only).",
)
@click.option(
    "--app-db-url-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file (mode 0600) holding the assessments' PostgreSQL URL, read at each start "
    "(default: $CCIN_DB_URL, else a SQLite file in FOLDER).",
)
@click.option(
    "--shared",
    default=NBGRADER_SHARED,
    show_default=True,
    help="Cohorts: a folder every account can read, for the nbgrader settings of "
    "people's servers (written to cohorts.toml; the hub fills it at each start).",
)
@click.option(
    "--exchange",
    default=NBGRADER_EXCHANGE,
    show_default=True,
    help="Cohorts: nbgrader's exchange folder (written to cohorts.toml).",
)
@click.option("--force", is_flag=True, help="Rewrite an existing configuration (secrets kept).")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The kit folder whose node_modules holds the proxy (default: found).",
)
def hub_init(
    folder: Path,
    admin: str,
    ip: str,
    port: int,
    hub_port: int,
    proxy_api_port: int | None,
    db_url_file: Path | None,
    app_port: int,
    app_db_url_file: Path | None,
    shared: str,
    exchange: str,
    force: bool,
    root: Path | None,
) -> None:
    """Write FOLDER's jupyterhub_config.py, its secrets (0600) and a README for IT."""
    from ccin_learn.hub.deploy import (  # lazy: start-up speed
        HubSettings,
        blocked_for_others,
        init_hub,
        kit_proxy,
        singleuser_command,
    )
    from ccin_learn.site.paths import find_root  # lazy: start-up speed

    settings = HubSettings(
        admin=admin,
        ip=ip,
        port=port,
        hub_port=hub_port,
        proxy_api_port=proxy_api_port,
        db_url_file=db_url_file,
        app_port=app_port,
        app_db_url_file=app_db_url_file,
        shared=shared,
        exchange=exchange,
    )
    settings.check()
    singleuser = singleuser_command()
    files = init_hub(folder, settings, kit_proxy(find_root(root)), singleuser, force)
    click.echo(f"Wrote the hub's configuration: {files.config}")
    new = [path for path in files.secrets if path not in files.kept_secrets]
    if new:
        click.echo(f"Wrote its secrets (owner-only): {', '.join(p.name for p in new)}")
    if files.kept_secrets:
        click.echo(f"Kept its secrets: {', '.join(p.name for p in files.kept_secrets)}")
    click.echo(f"What each file is, and how to add an administrator: {files.readme}")
    click.echo(f"Cohorts of learners and trainers: ccin-learn hub cohort add {files.folder} ...")
    click.echo(f"Start it with: ccin-learn hub start {files.folder}")
    click.echo(f"Then sign up first as {admin} at http://{ip or 'localhost'}:{port}/hub/signup")
    click.echo(
        f"The self-assessment: http://{ip or 'localhost'}:{port}/services/ccin-app/"
        "voila/render/self-assessment.ipynb"
    )
    blocked = blocked_for_others(singleuser)
    if blocked is not None:
        click.echo(
            f"Warning: other accounts cannot run {singleuser} ({blocked} is closed to them), "
            "so no one's server will start: make the kit's .venv from a Python every user "
            "can run, such as /usr/bin/python3 (README.md, 'Start and stop').",
            err=True,
        )


@hub.command("start")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def hub_start(folder: Path) -> None:
    """Run the hub in FOLDER until you press Ctrl+C (or it gets SIGTERM)."""
    from ccin_learn.hub.deploy import folder_is_private  # lazy: start-up speed
    from ccin_learn.hub.run import check_hub_folder, run_hub  # lazy: start-up speed

    folder = check_hub_folder(folder)
    check_cohorts(folder)
    if os.geteuid() != 0:
        click.echo(
            "Note: not running as root, so the hub can start a server for this account only.",
            err=True,
        )
    if not folder_is_private(folder):
        click.echo(f"Note: other accounts can enter {folder}: chmod 700 {folder}", err=True)
    click.echo("Starting JupyterHub (press Ctrl+C to stop)...", err=True)
    run = run_hub(folder, lambda line: click.echo(line, err=True))
    if run.stopped:
        raise KeyboardInterrupt
    if run.exit_code != 0:
        raise KitError(f"JupyterHub stopped with exit code {run.exit_code}: see {run.log}")


def check_cohorts(folder: Path) -> None:
    """Stop on a mistake in cohorts.toml with its one line, before JupyterHub starts."""
    from ccin_learn.hub.cohorts import (  # lazy: start-up speed
        COHORTS_NAME,
        check_apart,
        check_machine,
        load_cohorts,
    )

    cohorts = load_cohorts(folder / COHORTS_NAME)
    check_apart(cohorts, folder)
    check_machine(cohorts)


@hub.group()
def cohort() -> None:
    """Cohorts on the hub: learners and trainers of an nbgrader course."""


@cohort.command("add")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("course_id")
@click.option("--grader", required=True, help="The system account that owns the course folder.")
@click.option(
    "--course-dir",
    default=None,
    help="The course folder (default: COURSE_ID in the grader's home).",
)
@click.option(
    "--port",
    type=click.IntRange(1024, 65535),
    default=None,
    help="Port of its Formgrader, on localhost (default: the first free from 9101).",
)
def cohort_add(
    folder: Path, course_id: str, grader: str, course_dir: str | None, port: int | None
) -> None:
    """Add a cohort to FOLDER's cohorts.toml (the hub then runs its Formgrader)."""
    from ccin_learn.hub import cohorts as setup  # lazy: start-up speed

    path = folder / setup.COHORTS_NAME
    course_dir = course_dir or str(setup.grader_home(grader) / course_id)
    added = setup.add_cohort(path, course_id, grader, course_dir, port)
    exchange = setup.load_cohorts(path).exchange
    if os.geteuid() == 0:  # the grader's `grade init` needs it; the hub makes it too
        setup.make_exchange(Path(exchange))
    click.echo(f"Added the cohort {added.course_id} to {path} (Formgrader port {added.port}).")
    click.echo("Next:")
    click.echo(f"  useradd --create-home --key HOME_MODE=0700 {grader}   (if it is new)")
    click.echo(
        f"  sudo -u {grader} -H ccin-learn grade init {added.course_dir} "
        f"--course-id {added.course_id} --exchange {exchange}"
    )
    click.echo(
        f"  restart the hub; on its Admin page add learners to the group {added.learners} "
        f"and trainers to {added.trainers}"
    )
    click.echo(f"  trainers open /services/{added.service}/formgrader on the hub")


@hub.command("helm-values")
@click.option("--host", default=None, help="The hub's public DNS name (for its HTTPS certificate).")
@click.option("--email", default=None, help="Contact email for Let's Encrypt (expiry notices).")
@click.option(
    "--exchange",
    type=click.Choice(["ngshare", "volume"]),
    default="ngshare",
    show_default=True,
    help="nbgrader's exchange: the ngshare hub service, or a shared ReadWriteMany volume.",
)
@click.option(
    "--admin",
    default="ccin-admin",
    show_default=True,
    help="The first administrator's user name (they sign up with it first).",
)
@click.option(
    "--db-url",
    default=None,
    help="The hub database, postgresql://USER@HOST[:PORT]/DB, without a password "
    "(default: postgresql://jupyterhub@ccin-hub-db:5432/jupyterhub).",
)
@click.option(
    "--image", default=None, help="NAME:TAG of an image with the kit for everyone's server."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the values to this file (atomically) instead of standard output.",
)
def hub_helm_values(
    host: str | None,
    email: str | None,
    exchange: str,
    admin: str,
    db_url: str | None,
    image: str | None,
    output: Path | None,
) -> None:
    """Write values for the Zero to JupyterHub Helm chart (4.x): many machines, one hub."""
    from ccin_learn.fileio import atomic_write  # lazy: start-up speed
    from ccin_learn.hub.helm import DEFAULT_DB_URL, HelmSettings, render  # lazy: start-up speed

    if not host:
        raise KitError("--host is required: the hub's public DNS name, such as hub.council.gov.uk")
    if not email:
        raise KitError("--email is required: Let's Encrypt's contact for the certificate")
    settings = HelmSettings(host, email, exchange, admin, db_url or DEFAULT_DB_URL, image)
    text = render(settings)
    if output is None:
        click.echo(text, nl=False)
        return
    atomic_write(output, text.encode("utf-8"))
    click.echo(f"Wrote the Helm values: {output}", err=True)
