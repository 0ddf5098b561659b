"""The course catalogue: five modules, the pathway's rules, and checks on edits."""

from __future__ import annotations

import pytest
import yaml

from ccin_learn.course.catalogue import CATALOGUE_FILE, default_catalogue, load_catalogue
from ccin_learn.datafile import DataFileError


def test_shipped_catalogue_has_the_five_modules_in_course_order():
    catalogue = default_catalogue()
    assert [m.id for m in catalogue.modules] == [
        "coop-option",
        "finance",
        "legal-structures",
        "community-wealth-building",
        "cooperative-placemaking",
    ]
    assert catalogue.get("finance").prerequisites == ("coop-option",)
    assert catalogue.get("legal-structures").prerequisites == ("coop-option",)
    assert catalogue.total_hours == 16


def test_every_module_page_exists_and_is_in_the_toc(kit):
    toc = (kit.root / "_toc.yml").read_text(encoding="utf-8")
    for module in default_catalogue().modules:
        assert (kit.root / f"{module.page}.md").is_file()
        assert f"file: {module.page}" in toc


def edited(tmp_path, change):
    """A copy of the shipped catalogue with one edit applied."""
    data = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "modules.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["modules"][1].update(hours=-1), "modules[1].hours"),
        (
            lambda d: d["modules"][0]["outcomes"].__setitem__(0, "know about coops"),
            "observable verb",
        ),
        (lambda d: d["modules"][1].update(prerequisites=["nowhere"]), "needs 'nowhere'"),
        (lambda d: d["modules"][2].update(id="finance"), "appears twice"),
        (lambda d: d["modules"][0].update(colour="red"), "modules[0].colour"),
        (lambda d: d["modules"][3].update(outcomes=["explain a"]), "modules[3].outcomes"),
    ],
)
def test_bad_edit_is_rejected_naming_the_field(tmp_path, change, message):
    with pytest.raises(DataFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_catalogue(edited(tmp_path, change))


def test_unknown_module_lookup_names_the_known_ones():
    with pytest.raises(KeyError, match="coop-option"):
        default_catalogue().get("basket-weaving")
