"""The credentials catalogue states what the EU micro-credentials Recommendation asks."""

from __future__ import annotations

import pytest
import yaml

from ccin_learn.course.catalogue import default_catalogue
from ccin_learn.credentials.catalogue import CREDENTIALS_FILE, load_credentials
from ccin_learn.datafile import DataFileError


def test_one_credential_per_module_with_every_required_element():
    credentials = load_credentials()
    assert [c.id for c in credentials] == [m.id for m in default_catalogue().modules]
    for c in credentials:
        module = default_catalogue().get(c.id)
        assert c.title == f"Micro-credential: {module.title}"
        assert c.outcomes == module.outcomes
        assert c.workload_hours == module.hours + c.assessment_hours
        assert c.level and c.assessment and c.quality_assurance
        assert c.participation.startswith("Online")
        assert 0 < c.pass_mark <= 100
        criteria = c.criteria()
        for outcome in c.outcomes:
            assert outcome in criteria
        assert f"Notional workload: {c.workload_hours:g} hours" in criteria


def test_finance_and_legal_structures_need_the_core_module():
    by_id = {c.id: c for c in load_credentials()}
    assert by_id["finance"].prerequisites == ("coop-option",)
    assert by_id["legal-structures"].prerequisites == ("coop-option",)
    assert by_id["coop-option"].prerequisites == ()
    assert "Holding the micro-credential(s): coop-option." in by_id["finance"].criteria()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["credentials"].append({"module": "basket-weaving"}), "basket-weaving"),
        (lambda d: d["credentials"].pop(), "no credential for module"),
        (lambda d: d["defaults"].update(pass_mark=140), r"defaults\.pass_mark"),
        (lambda d: d["credentials"].append({"module": "finance"}), "more than one credential"),
    ],
)
def test_bad_catalogue_edits_are_refused(tmp_path, change, message):
    data = yaml.safe_load(CREDENTIALS_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "credentials.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_credentials(path)
