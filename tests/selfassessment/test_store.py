"""The store: versions kept, stale saves refused, drafts kept, any SQLAlchemy URL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, event, inspect, text

from ccin_learn.selfassessment.assessment import Answer, Council, stamped
from ccin_learn.selfassessment.store import (
    Base,
    ConflictError,
    Store,
    StoreError,
    default_db_url,
)


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


def test_two_sessions_saving_at_once_cannot_both_win(db_url, make_assessment, checklist):
    url = db_url
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


def test_drafts_belong_to_a_person_not_to_the_council(store, make_assessment):
    colleague = store.as_person("colleague")
    store.save(make_assessment({"c1": 1}), based_on=0)
    store.save_draft(make_assessment({"c1": 2}), based_on=1)
    colleague.save_draft(make_assessment({"c1": 4}), based_on=1)
    assert store.draft("Testborough Council").assessment.answer("c1").level == 2
    assert colleague.draft("Testborough Council").assessment.answer("c1").level == 4
    saved = colleague.save(colleague.draft("Testborough Council").assessment, based_on=1)
    assert saved.assessment.answer("c1").level == 4, "the saver's own draft, nobody else's"
    assert colleague.draft("Testborough Council") is None
    mine = store.draft("Testborough Council")
    assert mine is not None and mine.assessment.answer("c1").level == 2, "not published, kept"


def test_drafts_from_before_they_had_an_owner_go_to_whoever_opens_the_database(
    db_url, make_assessment, checklist
):
    url = db_url
    Store(url, checklist).save(make_assessment({"c1": 1}), based_on=0)
    engine = create_engine(url)
    moment = "DATETIME" if engine.dialect.name == "sqlite" else "TIMESTAMP WITH TIME ZONE"
    with engine.begin() as connection:  # the table as the kit made it before
        connection.execute(
            text(
                "CREATE TABLE drafts (council_id INTEGER PRIMARY KEY, based_on INTEGER, "
                f"saved_at {moment}, document TEXT)"
            )
        )
        connection.execute(
            text("INSERT INTO drafts VALUES (1, 1, '2026-11-30 10:00:00', :doc)"),
            {"doc": make_assessment({"c1": 3}).model_dump_json()},
        )
    opened = Store(url, checklist, person="officer")
    draft = opened.draft("Testborough Council")
    assert draft is not None and draft.based_on == 1 and draft.assessment.answer("c1").level == 3
    assert Store(url, checklist, person="someone else").draft("Testborough Council") is None
    assert "drafts" not in inspect(engine).get_table_names()
    engine.dispose()


def test_an_import_must_be_based_on_the_latest_version(store, make_assessment):
    first = store.import_file(make_assessment({"c1": 1}))
    assert first.version == 1
    edited = stamped(make_assessment({"c1": 2}), 1)
    store.import_file(stamped(make_assessment({"c1": 3}), 1))  # a colleague's import
    with pytest.raises(ConflictError, match=r"based on version 1, but version 2 .* is newer"):
        store.import_file(edited)
    with pytest.raises(ConflictError, match="does not say which version"):
        store.import_file(make_assessment({"c1": 4}))
    with pytest.raises(ConflictError, match=r"version 7 of .*, but the latest saved version is 2"):
        store.import_file(stamped(make_assessment({"c1": 4}), 7))
    forced = store.import_file(edited, force=True)
    assert forced.version == 3 and forced.assessment.based_on_version is None
    assert store.load("Testborough Council").assessment == make_assessment({"c1": 2})


def test_concurrent_export_edit_import_never_replaces_a_newer_version(
    db_url, make_assessment, checklist
):
    url = db_url
    Store(url, checklist).import_file(make_assessment({"c1": 0}))
    accepted: list[tuple[int, int]] = []  # (based on, saved as)
    barrier = threading.Barrier(8)

    def loop(worker: int) -> None:
        store = Store(url, checklist, person=f"officer {worker}")
        barrier.wait()
        for round_ in range(6):
            exported = store.load("Testborough Council")
            edited = stamped(make_assessment({"c1": (worker + round_) % 5}), exported.version)
            try:
                saved = store.import_file(edited)
            except ConflictError:
                continue
            accepted.append((exported.version, saved.version))

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert accepted, "some imports must get through"
    assert all(saved == based_on + 1 for based_on, saved in accepted)
    versions = [v.version for v in Store(url, checklist).history("Testborough Council")]
    assert versions == list(range(1, len(accepted) + 2))


def test_a_save_keeps_a_draft_that_holds_other_edits(store, make_assessment):
    """The same person in two tabs: saving one tab's work keeps the other tab's draft."""
    store.save_draft(make_assessment({"c1": 2}), based_on=0)  # tab A's edits, autosaved last
    store.save(make_assessment({"c1": 4}), based_on=0)  # tab B saves its own work
    draft = store.draft("Testborough Council")
    assert draft is not None and draft.assessment.answer("c1").level == 2


def test_another_process_making_every_table_first_is_no_fault(db_url, checklist):
    """The worst race: for each table, another kernel makes it between our check and our
    CREATE. There are more tables than tries, so retrying the whole set would give up."""
    other = create_engine(db_url)

    def made_first(table, connection, **_kw) -> None:
        if connection.engine is not other:  # the event fires for the other's CREATE too
            table.create(other, checkfirst=True)

    try:
        for table in Base.metadata.sorted_tables:
            event.listen(table, "before_create", made_first)
        store = Store(db_url, checklist)
    finally:
        for table in Base.metadata.sorted_tables:
            event.remove(table, "before_create", made_first)
        other.dispose()
    assert set(inspect(store.engine).get_table_names()) >= set(Base.metadata.tables)
    assert store.councils() == []


def test_many_processes_opening_a_new_database_at_once_all_succeed(new_db_url, checklist):
    """Voila starts several kernels at once; each makes the tables if they are missing."""
    for _ in range(5):
        url = new_db_url()
        failures: list[Exception] = []
        barrier = threading.Barrier(6)

        def open_store(
            url: str = url,
            failures: list[Exception] = failures,
            barrier: threading.Barrier = barrier,
        ) -> None:
            barrier.wait()
            try:
                Store(url, checklist)
            except StoreError as err:
                failures.append(err)

        threads = [threading.Thread(target=open_store) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []


def test_officers_starting_the_same_new_council_at_once_all_keep_their_drafts(
    new_db_url, make_assessment, checklist
):
    """Each officer's first autosave adds the council if missing; none fails on the key."""
    for attempt in range(3):
        url, name = new_db_url(), f"Newtown {attempt}"
        stores = [Store(url, checklist, person=f"officer {n}") for n in range(4)]
        failures: list[Exception] = []
        barrier = threading.Barrier(len(stores))

        def autosave(store: Store, barrier=barrier, failures=failures, name=name) -> None:
            barrier.wait()
            try:
                store.save_draft(make_assessment({"c1": 1}, name=name), based_on=0)
            except Exception as err:  # any failure at all is the finding
                failures.append(err)

        threads = [threading.Thread(target=autosave, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert stores[0].councils() == [name]
        assert all(store.draft(name) is not None for store in stores)


def test_saved_times_read_back_in_utc_on_every_database(store, make_assessment):
    saved = store.save(make_assessment({"c1": 1}), based_on=0)
    loaded = store.load("Testborough Council")
    assert loaded.saved_at.utcoffset() == timedelta(0)
    assert loaded.saved_at == saved.saved_at
    store.save_draft(make_assessment({"c1": 2}), based_on=1)
    assert store.draft("Testborough Council").saved_at.utcoffset() == timedelta(0)


def test_a_password_in_the_database_url_is_never_shown(postgresql_cluster):
    secret = "n0t-the-Passw0rd"
    url = f"postgresql+psycopg://ccin_test:{secret}@127.0.0.1:{postgresql_cluster.port}/kit_db"
    with pytest.raises(StoreError) as refused:
        Store(url)
    message = str(refused.value)
    assert secret not in message
    assert f"ccin_test:***@127.0.0.1:{postgresql_cluster.port}/kit_db" in message
    assert "password authentication failed" in message
    assert len(message.splitlines()) == 1


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://kit:n0t-the-Passw0rd@db.internal:port/ccin",
        "nodriver+nothing://kit:n0t-the-Passw0rd@db.internal/ccin",
    ],
    ids=["a port that is not a number", "an unknown driver"],
)
def test_a_password_in_a_url_that_cannot_be_used_is_never_shown(url):
    with pytest.raises(StoreError, match=r"cannot use database URL .*kit:\*\*\*@db") as refused:
        Store(url)
    assert "n0t-the-Passw0rd" not in str(refused.value)


def test_each_version_records_who_saved_it(store, make_assessment):
    store.as_person("alice").save(make_assessment({"c1": 1}), based_on=0)
    saved = store.as_person("bob").save(make_assessment({"c1": 2}), based_on=1)
    assert (saved.saved_by, saved.by_whom) == ("bob", " by bob")
    history = store.history("Testborough Council")
    assert [(v.version, v.saved_by) for v in history] == [(1, "alice"), (2, "bob")]
    assert store.load("Testborough Council", 1).by_whom == " by alice"


def test_a_database_from_before_savers_were_recorded_gains_the_column(
    db_url, make_assessment, checklist
):
    """Its older versions say nothing of who saved them; new ones do."""
    Store(db_url, checklist, "alice").save(make_assessment({"c1": 1}), based_on=0)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE assessment_versions DROP COLUMN saved_by"))
    engine.dispose()
    store = Store(db_url, checklist, "bob")
    store.save(make_assessment({"c1": 2}), based_on=1)
    history = store.history("Testborough Council")
    assert [(v.saved_by, v.by_whom) for v in history] == [(None, ""), ("bob", " by bob")]
