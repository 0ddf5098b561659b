"""A cohort's course configuration: who awards the credentials, read from course.yaml."""

from __future__ import annotations

import yaml

from ccin_learn.grading.course import load_course


def test_the_awarding_body_comes_from_the_course_configuration(tmp_path, assessments):
    course = load_course(assessments / "course.yaml")
    assert course.awarding_body.name == "Cooperative Councils' Innovation Network"
    data = yaml.safe_load((assessments / "course.yaml").read_text(encoding="utf-8"))
    data["awarding_body"]["name"] = "Co-operative College"
    edited = tmp_path / "course.yaml"
    edited.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_course(edited).awarding_body.name == "Co-operative College"
