"""The self-assessment app as a JupyterHub service: ``python -m ccin_learn.hub.app_service``.

The hub starts this (``c.JupyterHub.services``, entry ``ccin-app``) with, in its
environment, where to listen (``$JUPYTERHUB_SERVICE_URL``), its address behind
the hub's proxy (``$JUPYTERHUB_SERVICE_PREFIX``, ``/services/ccin-app/``), its
OAuth client and API token, and the assessment database's URL
(``$CCIN_DB_URL``). It replaces itself with the kit's Voila server, set to need
the hub's sign-in on every page, so one server (with one report process) serves
every officer of the network.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from urllib.parse import urlsplit

from ccin_learn.apps.launcher import voila_command, voila_environment
from ccin_learn.errors import KitError
from ccin_learn.settings import DB_URL_VAR, book_url

SERVICE_URL_VAR = "JUPYTERHUB_SERVICE_URL"
PREFIX_VAR = "JUPYTERHUB_SERVICE_PREFIX"


def service_command(environ: Mapping[str, str]) -> list[str]:
    """The kit's Voila, listening where the hub expects the service, under its prefix."""
    where = urlsplit(environ.get(SERVICE_URL_VAR, ""))
    prefix = environ.get(PREFIX_VAR, "")
    if not where.hostname or not where.port or not prefix.startswith("/"):
        raise KitError(
            f"{SERVICE_URL_VAR} and {PREFIX_VAR} are not set: the hub starts this service "
            "(see jupyterhub_config.py); to run the app alone, use ccin-learn start"
        )
    options = [f"--Voila.base_url={prefix}", "--KitVoila.hub_sign_in=True"]
    return voila_command(where.hostname, where.port, extra=options)


def main() -> None:
    try:
        command = service_command(os.environ)
    except KitError as err:
        sys.exit(f"ccin-app: {err}")
    env = voila_environment(book_url(), os.environ.get(DB_URL_VAR) or None)
    os.execve(command[0], command, env)


if __name__ == "__main__":
    main()
