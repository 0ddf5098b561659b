"""The build publishes the awarding body's issuer folder with the book, so the "Check a
credential" page can read its profile and revocation list from the same site (issue 15)."""

from __future__ import annotations

import pytest

from ccin_learn.errors import KitError
from ccin_learn.site.build import copy_issuer_folder
from ccin_learn.site.paths import KitPaths


@pytest.fixture
def kit_with_issuer(tmp_path):
    paths = KitPaths(tmp_path)
    issuer = tmp_path / "issuer"
    (issuer / "achievements").mkdir(parents=True)
    (issuer / "profile.json").write_text('{"id": "https://example.org/issuer/profile.json"}')
    (issuer / "status-list.jwt").write_text("eyJ.eyJ.sig")
    (issuer / "achievements" / "coop-option.json").write_text("{}")
    paths.html_dir.mkdir(parents=True)
    return paths


def test_the_issuer_folder_is_copied_into_the_site_replacing_an_old_copy(kit_with_issuer):
    stale = kit_with_issuer.html_dir / "issuer" / "revoked-long-ago.jwt"
    stale.parent.mkdir()
    stale.write_text("old")
    assert copy_issuer_folder(kit_with_issuer)
    site = kit_with_issuer.html_dir / "issuer"
    assert (site / "status-list.jwt").read_text() == "eyJ.eyJ.sig"
    assert (site / "achievements" / "coop-option.json").is_file()
    assert not stale.exists()


def test_a_kit_without_an_issuer_folder_publishes_none(tmp_path):
    paths = KitPaths(tmp_path)
    assert not copy_issuer_folder(paths)
    assert not (paths.html_dir / "issuer").exists()


def test_a_private_key_in_the_issuer_folder_is_refused_and_nothing_published(kit_with_issuer):
    key = kit_with_issuer.root / "issuer" / "issuer-key.pem"
    key.write_text(
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n"
    )
    with pytest.raises(KitError, match=r"issuer-key\.pem holds a private key"):
        copy_issuer_folder(kit_with_issuer)
    assert not (kit_with_issuer.html_dir / "issuer").exists()
