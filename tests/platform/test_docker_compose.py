"""docker-compose.yml and the Dockerfile, checked statically against the code they run: every
`o2c ...` command is a real CLI command, every O2C_* variable a real setting, the worker can
scale, and the cluster gets exactly the search attributes the workflows use."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from temporalio.common import SearchAttributeIndexedValueType
from typer.core import TyperCommand, TyperGroup

from o2c.cli import app
from o2c.settings import Settings
from workflows.search_attributes import ALL as SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"

REQUIRED_SERVICES = {"postgres", "temporal", "temporal-ui", "api", "worker", "mail", "migrate"}
APP_SERVICES = ("migrate", "api", "worker")
CLI_TYPES = {
    SearchAttributeIndexedValueType.TEXT: "Text",
    SearchAttributeIndexedValueType.KEYWORD: "Keyword",
    SearchAttributeIndexedValueType.INT: "Int",
    SearchAttributeIndexedValueType.DOUBLE: "Double",
    SearchAttributeIndexedValueType.BOOL: "Bool",
    SearchAttributeIndexedValueType.DATETIME: "Datetime",
    SearchAttributeIndexedValueType.KEYWORD_LIST: "KeywordList",
}


# --- helpers -----------------------------------------------------------------------------------


@cache
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


def services() -> dict[str, dict[str, Any]]:
    result = compose()["services"]
    assert isinstance(result, dict)
    return result


def resolve_cli_command(words: Sequence[str]) -> TyperCommand:
    """The leaf command of `o2c <words...>`; LookupError when it is not a real command."""
    command = typer.main.get_command(app)
    path = ["o2c"]
    for word in words:
        if not isinstance(command, TyperGroup):
            break  # the rest are the leaf command's arguments and options
        if word.startswith("-"):
            raise LookupError(f"`{' '.join(path)}` is a group; got option {word!r}")
        sub = command.get_command(command.context_class(command), word)
        if sub is None:
            raise LookupError(f"`{' '.join(path)}` has no command {word!r}")
        command = sub
        path.append(word)
    if not isinstance(command, TyperCommand):
        raise LookupError(f"`{' '.join(path)}` is a group, not a command")
    return command


def as_text(value: str | list[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else shlex.join(value)


def o2c_invocations(script: str) -> Iterator[list[str]]:
    """The argument lists of every `o2c ...` call in a command line or shell script."""
    for segment in re.split(r"[;&|\n()`]+", script):
        try:
            tokens = shlex.split(segment)
        except ValueError:
            tokens = segment.split()
        for index, token in enumerate(tokens):
            if token == "o2c" or token.endswith("/o2c"):
                yield tokens[index + 1 :]
                break


def service_scripts(service: dict[str, Any]) -> list[str]:
    scripts = [as_text(service.get("entrypoint")), as_text(service.get("command"))]
    test = service.get("healthcheck", {}).get("test")
    if test:
        scripts.append(as_text(test))
    return [script for script in scripts if script]


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(key): "" if value is None else str(value) for key, value in env.items()}


def setting_env_names() -> set[str]:
    return {"O2C_" + name.upper() for name in Settings.model_fields}


def published_host_ports(service: dict[str, Any]) -> list[str]:
    """Port mappings that bind a fixed host port (which stops `--scale`)."""
    fixed = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            if port.get("published"):
                fixed.append(str(port))
        elif ":" in str(port):
            fixed.append(str(port))
    return fixed


def depends_on(service: dict[str, Any]) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


def search_attributes_in_compose() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for service in services().values():
        for script in service_scripts(service):
            for line in script.splitlines():
                if "search-attribute create" in line:
                    found += re.findall(r"--name\s+(\S+)\s+--type\s+(\S+)", line)
    return found


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def exec_form(value: str) -> list[str]:
    parsed = json.loads(value) if value.startswith("[") else shlex.split(value)
    assert isinstance(parsed, list)
    return [str(item) for item in parsed]


# --- the resolver itself -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "words", [["api"], ["worker"], ["run"], ["db", "upgrade"], ["users", "create", "ann"]]
)
def test_resolver_accepts_real_commands(words: list[str]) -> None:
    command = resolve_cli_command(words)
    assert isinstance(command, TyperCommand)


@pytest.mark.parametrize(
    "words", [["nonsense"], ["db"], ["db", "nonsense"], ["db", "--help"], [], ["users", "delete"]]
)
def test_resolver_rejects_made_up_commands(words: list[str]) -> None:
    with pytest.raises(LookupError):
        resolve_cli_command(words)


def test_o2c_invocations_are_found_in_shell_scripts() -> None:
    script = "set -e\no2c db upgrade && exec /usr/local/bin/o2c api; echo o2c-done"
    assert list(o2c_invocations(script)) == [["db", "upgrade"], ["api"]]


# --- docker-compose.yml ------------------------------------------------------------------------


def test_compose_has_the_production_services() -> None:
    assert set(services()) >= REQUIRED_SERVICES


def test_every_o2c_command_in_compose_is_a_real_cli_command() -> None:
    calls = [
        (name, words)
        for name, service in services().items()
        for script in service_scripts(service)
        for words in o2c_invocations(script)
    ]
    assert {name for name, _ in calls} >= set(APP_SERVICES)
    for name, words in calls:
        try:
            resolve_cli_command(words)
        except LookupError as exc:
            pytest.fail(f"service {name}: {exc}")


def test_app_services_run_their_roles() -> None:
    roles = {name: resolve_cli_command(services()[name]["command"][1:]) for name in APP_SERVICES}
    assert roles["migrate"].name == "upgrade"
    assert roles["api"].name == "api"
    assert roles["worker"].name == "worker"


def test_every_o2c_variable_in_compose_is_a_real_setting() -> None:
    known = setting_env_names()
    for name, service in services().items():
        unknown = {key for key in environment(service) if key.startswith("O2C_")} - known
        assert not unknown, f"service {name} sets unknown settings {sorted(unknown)}"
    interpolated = set(re.findall(r"\$\{(O2C_\w+?)(?:[:?\-}])", COMPOSE_FILE.read_text()))
    assert interpolated <= known, sorted(interpolated - known)


def test_app_services_share_one_production_environment() -> None:
    envs = [environment(services()[name]) for name in APP_SERVICES]
    # Only the database role differs: migrate owns the schema, api and worker use its rows.
    assert {**envs[0], "O2C_DATABASE_URL": ""} == {**envs[1], "O2C_DATABASE_URL": ""}
    assert envs[1] == envs[2]
    env = envs[1]
    assert env["O2C_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["O2C_DATABASE_URL"].split("@", 1)[1].startswith("postgres:5432/")
    assert env["O2C_TEMPORAL_ADDRESS"] == "temporal:7233"
    assert "mail" in env["O2C_SMTP_HOST"]
    assert env["O2C_SECRET_KEY"].startswith("${O2C_SECRET_KEY:?")
    assert env["O2C_API_HOST"] == "0.0.0.0"


def database_user(url: str) -> str:
    return url.split("://", 1)[1].split(":", 1)[0]


def test_the_app_never_uses_the_database_superuser() -> None:
    svc = services()
    superuser = environment(svc["postgres"])["POSTGRES_USER"]
    runtime = {
        database_user(environment(svc[name])["O2C_DATABASE_URL"]) for name in ("api", "worker")
    }
    migration = database_user(environment(svc["migrate"])["O2C_DATABASE_URL"])
    temporal = environment(svc["temporal"])["POSTGRES_USER"]

    assert runtime == {"o2c_app"} and migration == "o2c_owner" and temporal == "temporal"
    assert superuser not in {*runtime, migration, temporal}
    urls = [environment(svc[name])["O2C_DATABASE_URL"] for name in APP_SERVICES]
    assert not any("POSTGRES_USER" in url or "POSTGRES_PASSWORD" in url for url in urls)
    init = [v for v in svc["postgres"]["volumes"] if "docker-entrypoint-initdb.d" in v]
    assert len(init) == 1 and init[0].endswith(":ro")
    script = ROOT / init[0].split(":", 1)[0]
    assert script.is_file(), script
    for role in ("o2c_owner", "o2c_app", "temporal"):
        assert role in script.read_text(), role


def test_temporal_and_the_catchers_pages_listen_on_this_host_only() -> None:
    for name in ("temporal", "temporal-ui", "mail"):
        for port in services()[name].get("ports") or []:
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_worker_can_scale() -> None:
    worker = services()["worker"]
    assert "container_name" not in worker
    assert published_host_ports(worker) == []


def test_api_and_worker_wait_for_schema_and_temporal() -> None:
    assert depends_on(services()["migrate"]).get("postgres") == "service_healthy"
    for name in ("api", "worker"):
        deps = depends_on(services()[name])
        assert deps.get("migrate") == "service_completed_successfully", name
        assert deps.get("temporal") in {"service_healthy", "service_started"}, name
        assert deps.get("temporal-setup") == "service_completed_successfully", name


def test_backing_services() -> None:
    svc = services()
    assert svc["postgres"]["image"].startswith("postgres:16")
    assert "healthcheck" in svc["postgres"]
    assert svc["postgres"].get("volumes")
    temporal_env = environment(svc["temporal"])
    assert svc["temporal"]["image"].startswith("temporalio/auto-setup:")
    assert temporal_env["DB"] == "postgres12"
    assert temporal_env["POSTGRES_SEEDS"] == "postgres"
    assert {"DB_PORT", "POSTGRES_USER", "POSTGRES_PWD"} <= set(temporal_env)
    assert environment(svc["temporal-ui"])["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert svc["mail"]["image"].startswith("axllent/mailpit")


def test_search_attributes_registered_by_compose_match_the_workflows() -> None:
    registered = search_attributes_in_compose()
    names = [name for name, _ in registered]
    assert len(names) == len(set(names)), names
    assert set(names) == {key.name for key in SEARCH_ATTRIBUTES}
    expected_types = {key.name: CLI_TYPES[key.indexed_value_type] for key in SEARCH_ATTRIBUTES}
    assert dict(registered) == expected_types


def test_search_attribute_setup_tolerates_existing_attributes() -> None:
    setup = services()["temporal-setup"]
    assert setup["image"].startswith("temporalio/admin-tools")
    assert depends_on(setup).get("temporal") == "service_healthy"
    assert "already exists" in as_text(setup.get("command"))


# --- Dockerfile --------------------------------------------------------------------------------


def test_dockerfile_runs_a_real_cli_command() -> None:
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    entrypoint = [exec_form(rest) for keyword, rest in instructions if keyword == "ENTRYPOINT"]
    cmd = [exec_form(rest) for keyword, rest in instructions if keyword == "CMD"]
    assert cmd, "the Dockerfile has no CMD"
    argv = (entrypoint[-1] if entrypoint else []) + cmd[-1]
    calls = list(o2c_invocations(shlex.join(argv)))
    assert calls, f"the image does not run o2c: {argv}"
    assert resolve_cli_command(calls[0]).name == "api"


def test_dockerfile_installs_weasyprint_libraries_and_the_package() -> None:
    runs = " ".join(rest for keyword, rest in dockerfile_instructions() if keyword == "RUN")
    packages = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "fonts-dejavu-core")
    for package in packages:
        assert package in runs
    assert re.search(r"pip install \S", runs)


def test_dockerfile_sets_only_real_settings() -> None:
    names = set()
    for keyword, rest in dockerfile_instructions():
        if keyword == "ENV":
            names |= set(re.findall(r"(O2C_\w+)=", rest))
    assert names <= setting_env_names(), sorted(names - setting_env_names())
