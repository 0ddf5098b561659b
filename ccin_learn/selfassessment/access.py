"""Who may see and change which council's self-assessment.

On a laptop the person at the keyboard owns every council in the file. On a
network's hub each officer belongs to councils with a role, kept as JupyterHub
groups so the hub's admin page and API manage them too:

- ``council-<short name>-viewer``: reads the council's versions and downloads;
- ``council-<short name>-editor``: also rates, edits and saves versions, plans and
  attaches evidence;
- ``council-<short name>-lead``: also sees the officers' ratings and agrees the council's
  answer, opts into the benchmark and manages who belongs to the council;
- ``network-admins``: every council, and starting new ones.

The rules live here and in the store, which asks them before every read and
write, so no view can show or save what the role does not allow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Protocol

from ccin_learn.errors import KitError

NETWORK_ADMINS = "network-admins"
GROUP = re.compile(r"council-(?P<short>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<role>viewer|editor|lead)")
NOT_LETTERS = re.compile(r"[^a-z0-9]+")


class Role(IntEnum):
    """A council officer's role; a higher one includes the rights of those below."""

    VIEWER = 1
    EDITOR = 2
    LEAD = 3

    @property
    def word(self) -> str:
        return self.name.lower()

    @classmethod
    def named(cls, word: str) -> Role:
        try:
            return cls[word.strip().upper()]
        except KeyError:
            raise AccessError(f"no such role {word!r}: choose viewer, editor or lead") from None


class AccessError(KitError):
    """The signed-in person's role does not allow this."""


def short_name(council: str) -> str:
    """The council's name as a group name takes it: lower case, words joined by hyphens."""
    return NOT_LETTERS.sub("-", council.casefold()).strip("-")


def group_name(council: str, role: Role) -> str:
    short = short_name(council)
    if not short:
        raise AccessError(f"{council!r} has no letters or digits to name its group by")
    return f"council-{short}-{role.word}"


def roles_from_groups(groups: Iterable[str]) -> dict[str, Role]:
    """Each council's short name and the highest role the groups give in it."""
    roles: dict[str, Role] = {}
    for group in groups:
        found = GROUP.fullmatch(group)
        if found:
            role = Role.named(found["role"])
            roles[found["short"]] = max(role, roles.get(found["short"], role))
    return roles


@dataclass(frozen=True)
class Officer:
    """A signed-in person and their roles, by council short name."""

    name: str
    roles: Mapping[str, Role] = field(default_factory=dict)
    network_admin: bool = False

    @classmethod
    def owner(cls, name: str) -> Officer:
        """The laptop's user, or a CLI run on a file: every right over every council."""
        return cls(name, network_admin=True)

    @classmethod
    def nobody(cls) -> Officer:
        """Before sign-in (a hub app's preheated kernel): no right over any council."""
        return cls("")

    @classmethod
    def from_groups(cls, name: str, groups: Iterable[str]) -> Officer:
        groups = list(groups)
        return cls(name, roles_from_groups(groups), NETWORK_ADMINS in groups)

    def role_in(self, council: str) -> Role | None:
        if self.network_admin:
            return Role.LEAD
        return self.roles.get(short_name(council))

    def may(self, council: str, role: Role) -> bool:
        held = self.role_in(council)
        return held is not None and held >= role

    def require(self, council: str, role: Role) -> None:
        """Refuse, in one line, what the officer's role in ``council`` does not allow.

        The same words whether or not the council exists, so a refusal tells an
        officer nothing about councils they do not belong to.
        """
        held = self.role_in(council)
        if held is None:
            raise AccessError(
                f"you are not a member of {council!r}: ask its lead or the network's "
                "administrator to add you"
            )
        if held < role:
            raise AccessError(
                f"you are {ARTICLE[held]} {held.word} of {council}, so you cannot "
                f"{DOING[role]}: ask its "
                f"lead to make you {ARTICLE[role]} {role.word}"
            )

    def require_new_council(self, council: str) -> None:
        if not self.network_admin:
            raise AccessError(
                f"only the network's administrators can start a new council ({council!r}): "
                "ask one to start it and add you"
            )


DOING = {
    Role.VIEWER: "see it",
    Role.EDITOR: "change or save its assessment",
    Role.LEAD: "manage its members",
}
ARTICLE = {Role.VIEWER: "a", Role.EDITOR: "an", Role.LEAD: "a"}


class Directory(Protocol):
    """Where councils' members are kept (a hub's groups: ``hub_directory.HubDirectory``)."""

    def officer(self, name: str) -> Officer: ...

    def members(self, council: str) -> dict[str, Role]: ...

    def set_role(self, council: str, person: str, role: Role) -> None: ...

    def remove(self, council: str, person: str, keep: Role | None = None) -> None: ...
