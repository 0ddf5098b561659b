"""The one exception type that reaches users as a plain one-line message.

Anything a user can cause (bad input, a busy port, a missing build) raises
``KitError``; the CLI and the apps print its message and never a traceback.
"""


class KitError(Exception):
    """A problem the user can fix; ``str(err)`` is a complete one-line message."""
