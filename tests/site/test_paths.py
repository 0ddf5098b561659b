"""Finding the kit's checkout from wherever the user is."""

from __future__ import annotations

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site.paths import find_root


def test_found_from_a_subfolder(kit):
    assert find_root(kit.root / "modules" / "finance").root == kit.root


def test_no_book_above_an_explicit_folder(tmp_path):
    with pytest.raises(KitError, match="no course book found"):
        find_root(tmp_path)


def test_falls_back_to_the_installed_checkout(kit, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_root().root == kit.root
