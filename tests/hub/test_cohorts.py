"""Cohorts on the hub: ``cohorts.toml``, what the configuration makes of it, and its checks."""

from __future__ import annotations

import json
import os
import pwd
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from traitlets.config import Config

from ccin_learn.cli import cli, main
from ccin_learn.datafile import DataFileError
from ccin_learn.errors import KitError
from ccin_learn.grading.cohort import CONFIG_NAME
from ccin_learn.hub import cohorts as setup
from ccin_learn.hub.deploy import HubFiles
from ccin_learn.settings import NBGRADER_EXCHANGE, NBGRADER_SHARED
from tests.grading.cohorts import COURSE_YAML

LoadConfig = Callable[[HubFiles], Config]
ME = pwd.getpwuid(os.getuid()).pw_name


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def course_folder(folder: Path, course_id: str) -> Path:
    """What ``grade init`` leaves, as far as the hub looks: the config and course.yaml."""
    folder.mkdir(parents=True)
    (folder / CONFIG_NAME).write_text("c = get_config()\n", encoding="utf-8")
    text = COURSE_YAML.replace("course_id: ccin-test-cohort", f"course_id: {course_id}")
    (folder / "course.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def with_cohorts(tmp_path: Path, hub_files: HubFiles) -> HubFiles:
    """A written hub whose cohorts.toml lists two cohorts graded by this account."""
    text = hub_files.cohorts.read_text() if hub_files.cohorts else ""
    text = text.replace(NBGRADER_SHARED, str(tmp_path / "shared"))
    text = text.replace(NBGRADER_EXCHANGE, str(tmp_path / "exchange"))
    assert hub_files.cohorts is not None
    hub_files.cohorts.write_text(text)
    for course in ("anyshire-2026", "otherby-2026"):
        folder = course_folder(tmp_path / "graders" / course, course)
        setup.add_cohort(hub_files.cohorts, course, ME, str(folder))
    return hub_files


# ---- the data file ----------------------------------------------------------------------


def test_hub_init_writes_a_commented_cohorts_file_without_a_cohort(hub_files: HubFiles) -> None:
    assert hub_files.cohorts == hub_files.folder / "cohorts.toml"
    text = hub_files.cohorts.read_text()
    assert "# [[cohorts]]" in text and "nbgrader-<course_id>" in text
    cohorts = setup.load_cohorts(hub_files.cohorts)
    assert cohorts.cohorts == ()
    assert (cohorts.shared, cohorts.exchange) == ("/srv/nbgrader/config", "/srv/nbgrader/exchange")


def test_a_hub_written_before_cohorts_has_none(tmp_path: Path) -> None:
    assert setup.load_cohorts(tmp_path / "cohorts.toml") == setup.CohortsFile()


def test_a_forced_rewrite_keeps_the_cohorts(
    with_cohorts: HubFiles, write_hub: Callable[..., HubFiles]
) -> None:
    assert with_cohorts.cohorts is not None
    before = with_cohorts.cohorts.read_text()
    write_hub(force=True)
    assert with_cohorts.cohorts.read_text() == before


COHORT = '[[cohorts]]\ncourse_id = "a-1"\ngrader = "grader-a"\ncourse_dir = "/home/g/a"\n'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('shared = "srv/hub"\n', r"shared: 'srv/hub' must be an absolute path"),
        (COHORT, r"cohorts\[0\]\.port: Field required"),
        (COHORT + 'port = "9101"\n', r"cohorts\[0\]\.port: Input should be a valid integer"),
        (COHORT + "port = 80\n", r"cohorts\[0\]\.port: Input should be greater than or equal"),
        (COHORT.replace("a-1", "A 1") + "port = 9101\n", r"cohorts\[0\]\.course_id: String"),
        (COHORT.replace("a-1", "ccin-app") + "port = 9101\n", r"hub's own services"),
        (COHORT.replace("grader-a", "Grader A") + "port = 9101\n", r"cohorts\[0\]\.grader"),
        (COHORT.replace('"/home', '"home') + "port = 9101\n", r"must be an absolute path"),
        (COHORT + "port = 9101\ncolour = 1\n", r"cohorts\[0\]\.colour: Extra inputs"),
        (COHORT + "port = 9101\n" + COHORT + "port = 9102\n", r"two cohorts have the course id"),
        (
            COHORT + "port = 9101\n" + COHORT.replace("a-1", "b-1") + "port = 9101\n",
            r"two cohorts have the port 9101",
        ),
        ("[[cohorts]\n", r"not valid TOML"),
    ],
)
def test_a_mistake_is_one_line_naming_the_file_and_the_field(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "cohorts.toml"
    path.write_text(text)
    with pytest.raises(DataFileError, match=problem) as caught:
        setup.load_cohorts(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_add_appends_a_cohort_keeps_comments_and_picks_free_ports(hub_files: HubFiles) -> None:
    path = hub_files.cohorts
    assert path is not None
    first = setup.add_cohort(path, "anyshire-2026", "grader-any", "/home/grader-any/c")
    second = setup.add_cohort(path, "otherby-2026", "grader-oth", "/home/grader-oth/c")
    assert (first.port, second.port) == (9101, 9102)
    assert "# A folder every account can read" in path.read_text()
    assert [c.course_id for c in setup.load_cohorts(path).cohorts] == [
        "anyshire-2026",
        "otherby-2026",
    ]


def test_add_refuses_a_repeated_course_and_leaves_the_file(hub_files: HubFiles) -> None:
    path = hub_files.cohorts
    assert path is not None
    setup.add_cohort(path, "anyshire-2026", "grader-any", "/home/grader-any/c")
    before = path.read_text()
    with pytest.raises(DataFileError, match="two cohorts have the course id anyshire-2026"):
        setup.add_cohort(path, "anyshire-2026", "grader-two", "/home/grader-two/c")
    assert path.read_text() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


# ---- what the hub makes of it -------------------------------------------------------------


def two_cohorts() -> setup.CohortsFile:
    return setup.parse(
        COHORT + "port = 9101\n" + COHORT.replace("a-1", "b-1") + "port = 9102\n", "test"
    )


def test_each_cohort_has_a_learners_and_a_trainers_group_created_empty() -> None:
    assert setup.groups(two_cohorts()) == {
        "nbgrader-a-1": {"users": []},
        "formgrade-a-1": {"users": []},
        "nbgrader-b-1": {"users": []},
        "formgrade-b-1": {"users": []},
    }


def test_only_a_cohorts_trainers_may_open_its_formgrader() -> None:
    roles = {role["name"]: role for role in setup.roles(two_cohorts())}
    assert roles["formgrade-a-1"]["groups"] == ["formgrade-a-1"]
    assert roles["formgrade-a-1"]["scopes"] == [
        "access:services!service=a-1",
        "read:services!service=a-1",
    ]
    # People's servers: JupyterHub's own scopes, plus their owner's groups (the plugin).
    assert set(roles["server"]["scopes"]) == {
        "users:activity!user",
        "access:servers!server",
        "read:users:name!user",
        "read:users:groups!user",
    }
    assert not [r for r in roles.values() if "nbgrader-a-1" in r.get("groups", [])]
    assert setup.roles(setup.CohortsFile()) == []


def test_each_formgrader_runs_the_kit_as_its_grader_in_its_course_folder() -> None:
    [a, _] = setup.services(two_cohorts(), ["/kit/bin/jupyterhub-singleuser"])
    assert a["name"] == "a-1" and a["url"] == "http://127.0.0.1:9101"
    assert (a["user"], a["cwd"]) == ("grader-a", "/home/g/a")
    assert a["command"] == ["/kit/bin/jupyterhub-singleuser"]
    assert a["oauth_no_confirm"] is True
    assert a["environment"] == {
        "JUPYTER_CONFIG_PATH": "/srv/nbgrader/config/trainer",
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
    }


def test_the_shared_settings_are_readable_by_all_and_the_exchange_is_open(
    tmp_path: Path,
) -> None:
    text = f'shared = "{tmp_path}/shared"\nexchange = "{tmp_path}/exchange"\n'
    cohorts = setup.parse(text + COHORT + "port = 9101\n", "test")
    written = setup.write_shared(cohorts)
    assert {mode(path) for path in written} == {0o644}
    assert mode(tmp_path / "shared" / "learner" / "labconfig") == 0o755
    assert mode(tmp_path / "exchange") == 0o1777
    learner = tmp_path / "shared" / "learner"
    config = (learner / "nbgrader_config.py").read_text()
    assert f"c.Exchange.root = '{tmp_path}/exchange'" in config
    assert "c.Exchange.path_includes_course = True" in config
    assert "c.Authenticator.plugin_class = JupyterHubAuthPlugin" in config
    server = json.loads((learner / "jupyter_server_config.json").read_text())
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert extensions[setup.FORMGRADER] is False and extensions[setup.ASSIGNMENT_LIST] is True
    page = json.loads((learner / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    trainer = json.loads((tmp_path / "shared/trainer/jupyter_server_config.json").read_text())
    assert trainer["ServerApp"]["jpserver_extensions"][setup.FORMGRADER] is True
    for unneeded in ("jupyter_lsp", "voila.server_extension"):  # a Formgrader starts quicker
        assert trainer["ServerApp"]["jpserver_extensions"][unneeded] is False
    assert (
        "JupyterHubAuthPlugin" not in (tmp_path / "shared/trainer/nbgrader_config.py").read_text()
    )


def test_nothing_is_written_for_a_hub_without_cohorts(tmp_path: Path) -> None:
    text = f'shared = "{tmp_path}/shared"\nexchange = "{tmp_path}/exchange"\n'
    assert setup.write_shared(setup.parse(text, "test")) == []
    assert list(tmp_path.iterdir()) == []


# ---- checks at the hub's start ------------------------------------------------------------


def test_a_cohort_on_a_port_of_the_hub_is_refused() -> None:
    with pytest.raises(KitError, match="cohort b-1: port 9102 is the hub's app port"):
        setup.check_ports(two_cohorts(), {"public port": 8010, "app port": 9102})


@pytest.mark.parametrize("where", ["hub", "hub/shared", "."])
def test_the_shared_folder_may_not_open_the_hubs_own(tmp_path: Path, where: str) -> None:
    shared = (tmp_path / where).resolve()
    cohorts = setup.parse(f'shared = "{shared}"\n', "test")
    with pytest.raises(KitError, match="would open the hub's private folder"):
        setup.check_apart(cohorts, tmp_path / "hub")


def test_the_machine_check_names_a_missing_account_folder_or_wrong_course(
    tmp_path: Path,
) -> None:
    def check(grader: str, folder: Path) -> None:
        text = COHORT.replace("grader-a", grader).replace("/home/g/a", str(folder))
        setup.check_machine(setup.parse(text + "port = 9101\n", "test"))

    with pytest.raises(KitError, match="no system account 'ccintest-nobody': useradd"):
        check("ccintest-nobody", tmp_path)
    with pytest.raises(KitError, match=r"is not a course folder: as .* run ccin-learn grade init"):
        check(ME, tmp_path / "missing")
    with pytest.raises(KitError, match=r"course.yaml is for the course 'other'"):
        check(ME, course_folder(tmp_path / "other", "other"))
    check(ME, course_folder(tmp_path / "right", "a-1"))


# ---- the written configuration, as JupyterHub loads it --------------------------------------


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"] for item in items]


def test_the_config_adds_the_cohorts_to_the_other_sections(
    with_cohorts: HubFiles, load_config: LoadConfig, tmp_path: Path
) -> None:
    config = load_config(with_cohorts)
    services = {s["name"]: s for s in config.JupyterHub.services}
    # The Formgraders start first, before the app warms its kernels (JupyterHub stops if a
    # service it starts has not answered within about 10 s).
    assert list(services) == ["anyshire-2026", "otherby-2026", "idle-culler", "ccin-app"]
    assert services["anyshire-2026"]["command"] == list(config.Spawner.cmd)
    assert services["anyshire-2026"]["user"] == ME
    roles = names(config.JupyterHub.load_roles)
    assert roles == [
        "idle-culler",
        "ccin-app",
        "user",
        "server",
        "formgrade-anyshire-2026",
        "formgrade-otherby-2026",
    ]
    assert list(config.JupyterHub.load_groups) == [
        "network-admins",
        "nbgrader-anyshire-2026",
        "formgrade-anyshire-2026",
        "nbgrader-otherby-2026",
        "formgrade-otherby-2026",
    ]
    assert config.Spawner.environment == {"JUPYTER_CONFIG_PATH": f"{tmp_path}/shared/learner"}
    assert (tmp_path / "shared" / "learner" / "nbgrader_config.py").is_file()


def test_a_config_without_cohorts_adds_nothing(
    hub_files: HubFiles, load_config: LoadConfig
) -> None:
    config = load_config(hub_files)
    assert names(config.JupyterHub.services) == ["idle-culler", "ccin-app"]
    assert "server" not in names(config.JupyterHub.load_roles)
    assert config.Spawner.environment == {}


def test_the_config_stops_on_a_bad_cohort_with_one_line(
    with_cohorts: HubFiles, load_config: LoadConfig
) -> None:
    assert with_cohorts.cohorts is not None
    text = with_cohorts.cohorts.read_text().replace(
        f'grader = "{ME}"', 'grader = "ccintest-nobody"'
    )
    with_cohorts.cohorts.write_text(text)
    with pytest.raises(SystemExit, match=r"^cohort anyshire-2026: no system account"):
        load_config(with_cohorts)


# ---- the command line ---------------------------------------------------------------------


def test_cohort_add_says_what_to_do_next(
    tmp_path: Path, write_hub: Callable[..., HubFiles]
) -> None:
    exchange = tmp_path / "exchange"
    files = write_hub(shared=str(tmp_path / "shared"), exchange=str(exchange))
    done = CliRunner().invoke(
        cli, ["hub", "cohort", "add", str(files.folder), "anyshire-2026", "--grader", "g-any"]
    )
    assert done.exit_code == 0, done.output
    assert "Formgrader port 9101" in done.output
    assert (
        "ccin-learn grade init /home/g-any/anyshire-2026 --course-id anyshire-2026 "
        f"--exchange {exchange}" in done.output
    )
    assert "nbgrader-anyshire-2026" in done.output and "formgrade-anyshire-2026" in done.output
    if os.geteuid() == 0:  # root (IT) also makes the exchange, for the grader's grade init
        assert mode(exchange) == 0o1777


def test_hub_start_stops_on_a_bad_cohorts_file_before_starting(
    hub_files: HubFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub_files.cohorts is not None
    hub_files.cohorts.write_text(COHORT + 'port = "x"\n')
    assert main(["hub", "start", str(hub_files.folder)]) != 0
    error = capsys.readouterr().err.strip()
    assert error.startswith("ccin-learn: error: ") and "cohorts[0].port" in error
    assert "\n" not in error


def test_hub_init_refuses_a_relative_exchange(tmp_path: Path) -> None:
    assert main(["hub", "init", str(tmp_path / "hub"), "--exchange", "exchange"]) != 0
    assert not (tmp_path / "hub").exists()


def test_the_readme_tells_it_how_to_add_a_cohort_and_its_people(hub_files: HubFiles) -> None:
    text = hub_files.readme.read_text()
    assert "## Cohorts: learners and trainers" in text
    assert f"ccin-learn hub cohort add {hub_files.folder} anyshire-2026" in text
    assert "--course-id anyshire-2026 --exchange /srv/nbgrader/exchange" in text
    assert "`nbgrader-<course id>`" in text and "`formgrade-<course id>`" in text
    assert "restarting never removes anyone" in text


def test_grade_init_gives_a_cohort_its_own_course_id(tmp_path: Path) -> None:
    """Two cohorts of the same assessments on one exchange need two course ids."""
    from ccin_learn.grading.cohort import init_cohort
    from tests.grading.cohorts import make_assessments

    source = make_assessments(tmp_path / "assessments")
    exchange = tmp_path / "exchange"
    exchange.mkdir(mode=0o1777)
    exchange.chmod(0o1777)
    with pytest.raises(KitError, match="course id 'Anyshire 2026': use lower-case"):
        init_cohort(tmp_path / "bad", [], source, exchange=exchange, course_id="Anyshire 2026")
    assert not (tmp_path / "bad").exists()
    cohort = init_cohort(tmp_path / "a", [], source, exchange=exchange, course_id="anyshire-2026")
    assert cohort.course.course_id == "anyshire-2026"
    assert cohort.api().coursedir.course_id == "anyshire-2026"
    assert mode(exchange) == 0o1777  # a hub's shared exchange is left as it is


@pytest.mark.skipif(os.geteuid() != 0, reason="only root gives a folder to another account")
def test_each_cohorts_exchange_folder_is_its_graders_before_anyone_elses(tmp_path: Path) -> None:
    text = f'shared = "{tmp_path}/shared"\nexchange = "{tmp_path}/exchange"\n'
    cohorts = setup.parse(text + COHORT.replace("grader-a", "nobody") + "port = 9101\n", "t")
    setup.make_exchange(tmp_path / "exchange")
    setup.claim_exchange(cohorts)
    claimed = tmp_path / "exchange" / "a-1"
    assert claimed.stat().st_uid == pwd.getpwnam("nobody").pw_uid and mode(claimed) == 0o755
    setup.claim_exchange(cohorts)  # at the next start: already the grader's
    os.chown(claimed, 0, 0)  # as if someone else had made it first
    with pytest.raises(KitError, match=r"cohort a-1: .*/exchange/a-1 belongs to uid 0, not to"):
        setup.claim_exchange(cohorts)
