"""Where the kit's files are.

The course book is built from the kit's source tree (the folder holding
``_config.yml`` and ``_toc.yml``), so commands find that folder rather than
assume the current directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccin_learn.errors import KitError

BOOK_MARKERS = ("_config.yml", "_toc.yml")


@dataclass(frozen=True)
class KitPaths:
    """The paths of one checkout of the kit, derived from its root.

    ``output`` puts the build (``_build``: pages, execution cache, log) in another
    folder, so a second build never rewrites pages that a server is showing.
    """

    root: Path
    output: Path | None = None

    @property
    def build_dir(self) -> Path:
        return (self.output or self.root) / "_build"

    @property
    def html_dir(self) -> Path:
        return self.build_dir / "html"

    @property
    def build_log(self) -> Path:
        return self.build_dir / "build.log"

    @property
    def vendor_dir(self) -> Path:
        """Browser assets copied from npm, served by the book as ``_static/vendor``."""
        return self.root / "_static" / "vendor"

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"


def is_kit_root(path: Path) -> bool:
    return all((path / marker).is_file() for marker in BOOK_MARKERS)


def find_root(start: Path | None = None) -> KitPaths:
    """Return the kit checkout containing ``start`` (default: the current directory).

    Falls back to the checkout this package was installed from (an editable
    install), so ``ccin-learn`` works from any directory of the user's.
    """
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_kit_root(candidate):
            return KitPaths(candidate)
    source_checkout = Path(__file__).resolve().parents[2]
    if start is None and is_kit_root(source_checkout):
        return KitPaths(source_checkout)
    raise KitError(
        f"no course book found at or above {here} (looked for {' and '.join(BOOK_MARKERS)}); "
        "run this inside the ccin-learn folder or pass --root"
    )
