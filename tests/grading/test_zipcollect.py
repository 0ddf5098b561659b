"""Collecting submissions downloaded from a learning platform as zip files."""

from __future__ import annotations

import zipfile

import nbformat
import pytest

from ccin_learn.errors import KitError
from ccin_learn.grading.cohort import release
from ccin_learn.grading.zipcollect import collect_zips
from tests.grading.cohorts import ANSWERS, answered

# Collecting zips writes folders, not the gradebook: SQLite only (test_steps.py and
# test_cohort.py cover the gradebook on both backends).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize("new_gradebook_url", ["sqlite"], indirect=True),
]


def test_zips_named_by_learner_id_become_submissions(tmp_path, cohort):
    release(cohort, "ps1")
    released = cohort.root / "release" / "ps1" / "ps1.ipynb"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with zipfile.ZipFile(downloads / "ada01.zip", "w") as archive:  # one zip per learner
        archive.writestr("ps1.ipynb", nbformat.writes(answered(released, ANSWERS["right"])))
    with zipfile.ZipFile(downloads / "all-submissions.zip", "w") as archive:  # platform style
        archive.writestr(
            "bea02_assignsubmission_file_/ps1.ipynb",
            nbformat.writes(answered(released, ANSWERS["partial"])),
        )
    assert collect_zips(cohort, "ps1", downloads) == ["ada01", "bea02"]
    submitted = nbformat.read(cohort.root / "submitted" / "bea02" / "ps1" / "ps1.ipynb", 4)
    assert any('choice = "a"' in cell.source for cell in submitted.cells)


def test_an_empty_download_folder_is_a_clear_error(tmp_path, cohort):
    with pytest.raises(KitError, match=r"no \.zip files"):
        collect_zips(cohort, "ps1", tmp_path)
