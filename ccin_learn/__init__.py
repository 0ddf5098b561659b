"""ccin-learn: the open course kit of the Cooperative Councils' Innovation Network."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ccin-learn")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
