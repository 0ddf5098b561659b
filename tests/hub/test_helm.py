"""``hub helm-values``: values the Zero to JupyterHub chart 4.x accepts, with no secret in them."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ccin_learn.errors import KitError
from ccin_learn.hub import helm, sizing
from ccin_learn.hub.helm import HelmSettings, render
from ccin_learn.settings import NBGRADER_EXCHANGE
from ccin_learn.site.toc import toc_docnames
from tests.conftest import CliResult

RunCli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[2]
CHART = Path(__file__).with_name("z2jh")
GUIDE = "book/deploy-the-hub"
HOST, EMAIL = "hub.ccin.example.org", "it@ccin.example.org"


def chart_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text())
    return defaults


def merged(base: Any, override: Any) -> Any:
    """Helm's merge of a user's values over the chart's: maps merged, the rest replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        result = dict(base)
        for key, value in override.items():
            result[key] = merged(base.get(key), value) if key in base else value
        return result
    return copy.deepcopy(override)


def validate(values: dict[str, Any]) -> None:
    schema = json.loads((CHART / "values.schema.json").read_text())
    jsonschema.Draft7Validator(schema).validate(merged(chart_defaults(), values))


def written(**settings: Any) -> dict[str, Any]:
    values: dict[str, Any] = yaml.safe_load(render(HelmSettings(HOST, EMAIL, **settings)))
    return values


@pytest.mark.parametrize("exchange", helm.EXCHANGES)
def test_the_values_are_valid_for_the_chart(exchange: str) -> None:
    validate(written(exchange=exchange, image="ghcr.io/ccin/kit:1.0"))


def test_the_schema_check_catches_a_key_the_chart_does_not_have() -> None:
    values = written()
    values["singleuser"]["memory"]["limmit"] = "1G"
    with pytest.raises(jsonschema.ValidationError):
        validate(values)


def test_the_hub_signs_in_as_on_one_machine() -> None:
    config = written(admin="it-lead")["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "nativeauthenticator.NativeAuthenticator"
    assert config["NativeAuthenticator"] == {
        "enable_signup": True,
        "open_signup": False,
        "minimum_password_length": 10,
        "check_common_password": True,
        "allowed_failed_logins": 3,
        "seconds_before_next_try": 600,
    }
    assert config["Authenticator"] == {"admin_users": ["it-lead"], "allow_all": True}


def test_the_local_configuration_has_the_same_sign_in_rules() -> None:
    template = (ROOT / "ccin_learn/hub/templates/jupyterhub_config.py.j2").read_text()
    rules = written()["hub"]["config"]["NativeAuthenticator"]
    for name, value in rules.items():
        assert f"c.NativeAuthenticator.{name} = {value!r}" in template


def test_no_secret_is_written_only_where_to_find_it() -> None:
    text = render(HelmSettings(HOST, EMAIL))
    values = yaml.safe_load(text)
    hub = values["hub"]
    assert "password" not in hub["db"] and "@" in hub["db"]["url"]
    assert ":" not in hub["db"]["url"].split("//", 1)[1].split("@", 1)[0]
    assert hub["extraEnv"]["PGPASSWORD"] == {
        "valueFrom": {"secretKeyRef": {"name": helm.DB_SECRET, "key": helm.DB_SECRET_KEY}}
    }
    for service in hub["services"].values():
        assert "api_token" not in service and "apiToken" not in service
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    # A key named like a secret with a value (a setting such as check_common_password: true
    # is not one).
    secrets = re.compile(r"(?i)^\s*[\w.-]*(token|password|secret):[ \t]*(?!true$|false$|\d+$)\S")
    assert [line for line in lines if secrets.search(line)] == []


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://hub:hunter2@db/hub",
        "postgresql+psycopg://hub@db/hub",
        "sqlite:///jupyterhub.sqlite",
        "postgresql://db/hub",
        "postgresql://hub@db/hub?sslpassword=x",
    ],
)
def test_a_database_url_with_a_password_or_the_wrong_driver_is_refused(url: str) -> None:
    with pytest.raises(KitError):
        HelmSettings(HOST, EMAIL, db_url=url).check()


@pytest.mark.parametrize(
    "host",
    ["hub", "hub.example.org\nhub:\n  x: 1", "hub.example.org: {a: 1}", "'x'.example.org", ""],
)
def test_a_host_that_is_not_a_dns_name_is_refused(host: str) -> None:
    with pytest.raises(KitError, match="not a DNS name"):
        render(HelmSettings(host, EMAIL))


def test_values_that_look_like_other_yaml_types_are_quoted() -> None:
    # Helm reads YAML 1.1, where a bare no is false and 1.10 a number.
    values = written(image="ghcr.io/ccin/kit:1.10", admin="no")
    assert values["singleuser"]["image"]["tag"] == "1.10"
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == ["no"]
    assert written()["proxy"]["https"]["letsencrypt"]["contactEmail"] == EMAIL


def test_the_exchange_choice_switches_blocks() -> None:
    ngshare, volume = written(exchange="ngshare"), written(exchange="volume")
    assert "ngshare" in ngshare["hub"]["services"]
    assert "extraVolumes" not in ngshare["singleuser"]["storage"]
    assert (
        "configureExchange" in ngshare["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]
    )
    assert "ngshare" not in volume["hub"]["services"]
    mounts = volume["singleuser"]["storage"]["extraVolumeMounts"]
    assert mounts == [{"name": "nbgrader-exchange", "mountPath": NBGRADER_EXCHANGE}]
    config = volume["singleuser"]["extraFiles"]["nbgrader-config"]["stringData"]
    assert f'c.Exchange.root = "{NBGRADER_EXCHANGE}"' in config


def test_https_culling_and_sizes_come_from_the_settings() -> None:
    values = written()
    assert values["proxy"]["https"]["hosts"] == [HOST]
    assert values["cull"] == {"enabled": True, "timeout": 3600}
    guarantee, limit = sizing.singleuser_memory()
    assert values["singleuser"]["memory"] == {"guarantee": guarantee, "limit": limit}
    assert values["singleuser"]["storage"]["type"] == "dynamic"


def test_the_cli_writes_to_standard_output(run_cli: RunCli) -> None:
    result = run_cli(["hub", "helm-values", "--host", HOST, "--email", EMAIL])
    assert yaml.safe_load(result.out)["proxy"]["https"]["hosts"] == [HOST]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", EMAIL], "--host is required"),
        (["--host", HOST], "--email is required"),
        (["--host", "a b", "--email", EMAIL], "not a DNS name"),
        (["--host", HOST, "--email", "it"], "not an email address"),
        (["--host", HOST, "--email", EMAIL, "--db-url", "postgresql://u:p@db/h"], "password"),
    ],
)
def test_the_cli_refuses_in_one_line(run_cli: RunCli, args: list[str], message: str) -> None:
    assert message in run_cli(["hub", "helm-values", *args], exit_code=1).err


def test_the_cli_writes_a_file_atomically(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "values.yaml"
    target.write_text("old")
    args = ["hub", "helm-values", "--host", HOST, "--email", EMAIL, "--exchange", "volume"]
    result = run_cli([*args, "-o", target])
    assert result.out == "" and f"Wrote the Helm values: {target}" in result.err
    assert "extraVolumes" in yaml.safe_load(target.read_text())["singleuser"]["storage"]
    assert [p.name for p in tmp_path.iterdir()] == ["values.yaml"]  # no temporary left


def test_the_cli_refuses_a_bad_path_in_one_line(run_cli: RunCli, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "values.yaml"
    args = ["hub", "helm-values", "--host", HOST, "--email", EMAIL, "-o", missing]
    assert "does not exist" in run_cli(args, exit_code=1).err


def test_the_guide_is_in_the_book_with_the_sizing_tables() -> None:
    assert GUIDE in toc_docnames(ROOT)
    page = (ROOT / f"{GUIDE}.md").read_text(encoding="utf-8")
    assert sizing.markdown_tables() in page


def test_the_app_signs_officers_in_with_the_same_roles_as_on_one_machine() -> None:
    values = written(admin="it-lead")
    hub = values["hub"]
    app = hub["services"]["ccin-app"]
    assert app["oauth_redirect_uri"] == f"https://{HOST}/services/ccin-app/oauth_callback"
    assert app["oauth_no_confirm"] is True
    roles = hub["loadRoles"]
    assert roles["ccin-app"]["services"] == ["ccin-app"]
    assert roles["user"]["scopes"] == ["self", "access:services!service=ccin-app"]
    groups = hub["config"]["JupyterHub"]["load_groups"]
    assert groups == {"network-admins": {"users": ["it-lead"]}}
    template = (ROOT / "ccin_learn/hub/templates/jupyterhub_config.py.j2").read_text()
    assert "{{ app_scopes }}" in template, "both take the scopes from APP_SERVICE_ROLE_SCOPES"
