"""Where the kit serves the book and the live tools.

The static book links each interactive tool to the kit's Voila server, and the
Voila apps link back to the book. Both read these settings so the links agree;
a council that serves the kit elsewhere sets the environment variables.
"""

from __future__ import annotations

import getpass
import os

HOST = "127.0.0.1"
BOOK_PORT = 8000
APP_PORT = 8866
# The JupyterHub (`ccin-learn hub`): clear of the book, the live tools and the hub's
# own internal API (8081).
HUB_PORT = 8010
# The self-assessment app as the hub's service (``ccin_learn.hub.app_service``), on
# localhost only.
HUB_APP_SERVICE = "ccin-app"
HUB_APP_PORT = 8870
# nbgrader's exchange on a hub (nbgrader's own default), and the folder every account
# reads for the nbgrader settings of people's servers (``ccin_learn.hub.cohorts``).
NBGRADER_EXCHANGE = "/srv/nbgrader/exchange"
NBGRADER_SHARED = "/srv/nbgrader/config"

BOOK_URL_VAR = "CCIN_BOOK_URL"
DB_URL_VAR = "CCIN_DB_URL"
APPS_URL_VAR = "CCIN_APPS_URL"
# JupyterHub sets this in every single-user server it spawns (and so in its kernels).
HUB_USER_VAR = "JUPYTERHUB_USER"
# The self-assessment app as a hub service: the server, having checked the hub's sign-in,
# hands the app's kernel the signed-in name as this request header (Voila passes chosen
# headers to the kernel as HTTP_* variables); the server always overwrites it.
SIGNED_IN_HEADER = "X-CCIN-Signed-In-User"
SIGNED_IN_VAR = "HTTP_X_CCIN_SIGNED_IN_USER"


def book_url(host: str = HOST, port: int = BOOK_PORT) -> str:
    """The book's base URL, ending in a slash."""
    return os.environ.get(BOOK_URL_VAR) or f"http://{host}:{port}/"


def book_url_is_public() -> bool:
    """True when ``CCIN_BOOK_URL`` names where readers find the book.

    Without it the book is served on this machine only, so a printed report
    names its course pages in words instead of printing a localhost address.
    """
    return bool(os.environ.get(BOOK_URL_VAR))


def apps_url(host: str = HOST, port: int = APP_PORT) -> str:
    """The Voila server's base URL, ending in a slash."""
    return os.environ.get(APPS_URL_VAR) or f"http://{host}:{port}/"


def app_url(app: str, base: str | None = None) -> str:
    """The URL of one live tool (a notebook in ``ccin_learn/apps``) on the Voila server."""
    return f"{(base or apps_url()).rstrip('/')}/voila/render/{app}.ipynb"


def signed_in_name() -> str:
    """The hub user this process works for ("" on a laptop): named by the app server
    after the hub's sign-in, or by JupyterHub in a person's own server."""
    return (os.environ.get(SIGNED_IN_VAR) or os.environ.get(HUB_USER_VAR, "")).strip()


def current_person() -> str:
    """Who is working: the signed-in user on a JupyterHub, else this machine's user.

    Drafts belong to a person, so one officer's unsaved edits never reach another's
    screen or version. On a laptop everyone at the keyboard is the same person.
    """
    hub_user = signed_in_name()
    if hub_user:
        return hub_user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (e.g. some containers)
        return f"uid-{os.getuid()}"
