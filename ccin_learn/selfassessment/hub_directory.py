"""The hub's record of who belongs to which council: JupyterHub's groups, through its REST API.

The self-assessment app runs as a hub service. Its token (``$JUPYTERHUB_API_TOKEN``,
given by the hub in the service's environment, never on a command line) may read
users and groups and change group members (the ``ccin-app`` role in the hub's
configuration). The app uses it to learn the signed-in officer's councils and, for
a council's lead, to list, add, change and remove its members. The rules of who
may do what are in :mod:`ccin_learn.selfassessment.access`; this module only reads
and writes the hub's groups.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ccin_learn.errors import KitError
from ccin_learn.selfassessment.access import AccessError, Officer, Role, group_name

API_URL_VAR = "JUPYTERHUB_API_URL"
API_TOKEN_VAR = "JUPYTERHUB_API_TOKEN"
TIMEOUT_S = 10.0


class HubUnreachable(KitError):
    """The hub did not answer as its API should."""


@dataclass(frozen=True)
class HubDirectory:
    """Councils' members, kept as the hub's ``council-<short name>-<role>`` groups."""

    api_url: str  # ends in /hub/api
    token: str

    @classmethod
    def from_environment(cls) -> HubDirectory | None:
        """The hub this process runs under, or None on a laptop."""
        url, token = os.environ.get(API_URL_VAR, ""), os.environ.get(API_TOKEN_VAR, "")
        return cls(url.rstrip("/"), token) if url and token else None

    def call(self, method: str, path: str, body: object = None) -> Any:
        """One API request; its JSON answer, or None for 404 (no such user or group)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.api_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
                text = answer.read()
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None
            raise HubUnreachable(f"the hub refused {method} {path}: HTTP {err.code}") from err
        except (urllib.error.URLError, OSError) as err:
            raise HubUnreachable(f"cannot reach the hub at {self.api_url}: {err}") from err
        return json.loads(text) if text.strip() else None

    def officer(self, name: str) -> Officer:
        """The signed-in person with the councils their groups give them."""
        user = self.call("GET", f"/users/{quote(name)}")
        if user is None:
            raise AccessError(f"the hub has no user {name!r}")
        return Officer.from_groups(name, user.get("groups") or [])

    def council_groups(self, council: str) -> dict[Role, list[str] | None]:
        """Each role's group of the council: its members, or None if it is not made yet."""
        found = {}
        for role in Role:
            group = self.call("GET", f"/groups/{quote(group_name(council, role))}")
            found[role] = None if group is None else list(group.get("users") or [])
        return found

    def members(self, council: str) -> dict[str, Role]:
        """Everyone in the council's groups, with their highest role, by name."""
        members: dict[str, Role] = {}
        for role, people in self.council_groups(council).items():
            for person in people or []:
                members[person] = max(role, members.get(person, role))
        return dict(sorted(members.items()))

    def set_role(self, council: str, person: str, role: Role) -> None:
        """Give ``person`` exactly ``role`` in the council (removing any other role)."""
        if self.call("GET", f"/users/{quote(person)}") is None:
            # An account exists once its owner has signed in: adding a name nobody has
            # yet would hand the council to whoever signs up with it first.
            raise AccessError(
                f"{person!r} has not signed in to this hub yet: they sign up, the network's "
                "administrator approves them, they sign in once, and then you can add them"
            )
        groups = self.council_groups(council)
        self.leave(council, person, groups, keep=role)
        group = quote(group_name(council, role))
        if groups[role] is None:
            self.call("POST", f"/groups/{group}", {"users": [person]})
        elif person not in (groups[role] or []):
            self.call("POST", f"/groups/{group}/users", {"users": [person]})

    def remove(self, council: str, person: str, keep: Role | None = None) -> None:
        """Take ``person`` out of the council's groups (all but ``keep``'s)."""
        self.leave(council, person, self.council_groups(council), keep)

    def leave(
        self,
        council: str,
        person: str,
        groups: dict[Role, list[str] | None],
        keep: Role | None = None,
    ) -> None:
        """Take ``person`` out of those of ``groups`` they are in, but ``keep``'s."""
        for role, people in groups.items():
            if role is not keep and person in (people or []):
                group = quote(group_name(council, role))
                self.call("DELETE", f"/groups/{group}/users", {"users": [person]})


def quote(part: str) -> str:
    return urllib.parse.quote(part, safe="")
