"""The store: versions kept, stale saves refused, drafts kept, any SQLAlchemy URL."""

from __future__ import annotations

import threading

import pytest

from ccin_learn.selfassessment.assessment import Answer, Council
from ccin_learn.selfassessment.store import ConflictError, Store, StoreError, default_db_url


def test_every_save_is_a_new_version_and_history_is_kept(store, make_assessment):
    first = store.save(make_assessment({"c1": 1}), based_on=0)
    second = store.save(make_assessment({"c1": 3}), based_on=1)
    assert (first.version, second.version) == (1, 2)
    history = store.history("Testborough Council")
    assert [v.version for v in history] == [1, 2]
    assert [v.assessment.answer("c1").level for v in history] == [1, 3]
    assert store.load("testborough  council").version == 2, "names match whatever the case"
    assert store.load("Testborough Council", 1).assessment.answer("c1").level == 1


def test_a_save_based_on_an_older_version_is_refused_and_changes_nothing(store, make_assessment):
    store.save(make_assessment({"c1": 1}), based_on=0)
    store.save(make_assessment({"c1": 2}), based_on=1)  # someone else's save
    with pytest.raises(
        ConflictError,
        match=r"someone saved version 2 .* after you started from "
        r"version 1",
    ):
        store.save(make_assessment({"c1": 4}), based_on=1)
    assert store.latest_version_number("Testborough Council") == 2
    assert store.load("Testborough Council").assessment.answer("c1").level == 2


def test_two_sessions_saving_at_once_cannot_both_win(tmp_path, make_assessment, checklist):
    url = f"sqlite:///{tmp_path / 'race.sqlite'}"
    Store(url, checklist).save(make_assessment({"c1": 1}), based_on=0)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def save(level: int) -> None:
        store = Store(url, checklist)
        barrier.wait()
        try:
            store.save(make_assessment({"c1": level}), based_on=1)
            results.append("saved")
        except ConflictError:
            results.append("refused")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["refused", "refused", "refused", "saved"]
    assert [v.version for v in Store(url, checklist).history("Testborough Council")] == [1, 2]


def test_drafts_keep_unsaved_edits_until_a_version_is_saved(store, make_assessment):
    edited = make_assessment({"c1": 2, "p1": Answer(level=1, evidence="Minutes, May")})
    store.save_draft(edited, based_on=0)
    draft = store.draft("Testborough Council")
    assert draft is not None and draft.based_on == 0
    assert draft.assessment == edited
    store.save(edited, based_on=0)
    assert store.draft("Testborough Council") is None


def test_unknown_council_and_version(store, make_assessment):
    with pytest.raises(StoreError, match="no saved assessment for 'Nowhere'"):
        store.load("Nowhere")
    store.save(make_assessment({"c1": 1}), based_on=0)
    with pytest.raises(StoreError, match="has no version 7"):
        store.load("Testborough Council", 7)
    assert store.councils() == ["Testborough Council"]


def test_default_is_a_sqlite_file_in_the_users_data_folder(monkeypatch):
    monkeypatch.delenv("CCIN_DB_URL", raising=False)
    url = default_db_url()
    assert url.startswith("sqlite:///") and url.endswith("ccin-learn/assessments.sqlite")
    monkeypatch.setenv("CCIN_DB_URL", "postgresql+psycopg://kit@db.internal/ccin")
    assert default_db_url() == "postgresql+psycopg://kit@db.internal/ccin"


def test_bad_database_urls_are_one_line_errors(tmp_path):
    with pytest.raises(StoreError, match="cannot use database URL 'not a url'"):
        Store("not a url")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot"):
        Store(f"sqlite:///{blocker / 'sub' / 'db.sqlite'}")


def test_a_name_too_long_for_the_key_column_never_reaches_the_database(store, make_assessment):
    # Council refuses such a name; an assessment built around it must not slip through.
    unchecked = Council.model_construct(name="\u00df" * 150, type="unitary", gss_code=None)
    spoiled = make_assessment({"c1": 1}).model_copy(update={"council": unchecked})
    with pytest.raises(StoreError, match="council name is too long: at most 150 characters"):
        store.save(spoiled, based_on=0)
    with pytest.raises(StoreError, match="council name is too long"):
        store.save_draft(spoiled, based_on=0)
    assert store.councils() == []
