"""Browser assets come from the pinned npm packages and are copied into the book."""

from __future__ import annotations

import json

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site.assets import copy_vendor_assets, install_npm_packages, npm_is_current
from ccin_learn.site.paths import KitPaths


def fake_kit(tmp_path):
    paths = KitPaths(tmp_path)
    (tmp_path / "package-lock.json").write_text("{}", encoding="utf-8")
    dist = paths.node_modules / "@jupyter-widgets" / "html-manager" / "dist"
    dist.mkdir(parents=True)
    (dist / "embed-amd.js").write_text("define();", encoding="utf-8")
    (dist / "abc.woff2").write_bytes(b"font")
    (dist / "embed.js.map").write_text("{}", encoding="utf-8")
    (paths.node_modules / "requirejs").mkdir()
    (paths.node_modules / "requirejs" / "require.js").write_text("var requirejs;")
    return paths


def test_copies_scripts_and_fonts_but_not_source_maps(tmp_path):
    paths = fake_kit(tmp_path)
    assert copy_vendor_assets(paths) == 3
    assert (paths.vendor_dir / "require.js").read_text() == "var requirejs;"
    assert (paths.vendor_dir / "html-manager" / "abc.woff2").read_bytes() == b"font"
    assert not (paths.vendor_dir / "html-manager" / "embed.js.map").exists()
    assert copy_vendor_assets(paths) == 0, "unchanged files are not copied again"


def test_missing_package_says_to_run_npm_ci(tmp_path):
    paths = fake_kit(tmp_path)
    (paths.node_modules / "requirejs" / "require.js").unlink()
    with pytest.raises(KitError, match="run npm ci"):
        copy_vendor_assets(paths)


def test_npm_ci_is_skipped_while_the_lock_is_unchanged(tmp_path, monkeypatch):
    paths = fake_kit(tmp_path)
    assert not npm_is_current(paths)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(KitError, match="npm is not installed"):
        install_npm_packages(paths)
    from ccin_learn.site.assets import LOCK_STAMP, lock_digest

    (paths.node_modules / LOCK_STAMP).write_text(lock_digest(paths))
    assert install_npm_packages(paths) is False


def test_shipped_lock_pins_the_widget_manager(kit):
    lock = json.loads((kit.root / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    assert packages["node_modules/@jupyter-widgets/html-manager"]["version"] == "1.0.15"
    assert packages["node_modules/requirejs"]["version"] == "2.3.8"
