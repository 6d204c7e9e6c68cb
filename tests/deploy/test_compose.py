"""deploy/compose.yaml: valid for docker-compose, one image for every SoRi process, replicated services."""

import json
import os
import re
import subprocess
from typing import Any

import pytest
import yaml

from contracts.topics import DLQ_SUFFIX, PRODUCER_TOPICS
from sori.kafka import producer_options
from sori.roles import ROLES, SERVICES
from tests.deploy.files import DEPLOY, TEMPORAL_UI_READ_ONLY, env_file, require_tool, settings_in, yaml_documents

COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
SECRET_KEYS = ("SORI_SECRET", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD", "TEMPORAL_UI_OIDC_CLIENT_SECRET")


@pytest.fixture(scope="module")
def resolved() -> dict[str, Any]:
    """The compose file as docker-compose resolves it with the example variables (and nothing from this shell)."""
    docker_compose = require_tool("docker-compose")
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run(
        [docker_compose, "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), "config"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"docker-compose config failed:\n{result.stderr}"
    config = yaml.safe_load(result.stdout)
    assert isinstance(config, dict)
    return config


def sori_processes(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The compose services built from SoRi's Dockerfile."""
    return {name: service for name, service in config["services"].items() if "build" in service}


def test_docker_compose_accepts_the_file_with_the_example_variables(resolved: dict[str, Any]) -> None:
    assert {"kafka", "kafka-topics", "postgres", "temporal", "temporal-ui", "migrate"} <= set(resolved["services"])
    assert {"otel-collector", "jaeger", "prometheus", "grafana"} <= set(resolved["services"])


def test_every_sori_process_uses_the_same_image_and_a_role_command(resolved: dict[str, Any]) -> None:
    processes = sori_processes(resolved)
    assert len({service["image"] for service in processes.values()}) == 1, processes
    assert {service["build"]["dockerfile"] for service in processes.values()} == {"deploy/Dockerfile"}
    commands = {name: service["command"] for name, service in processes.items()}
    assert sorted(command[0] for command in commands.values()) == sorted([*ROLES, "migrate"]), commands
    assert all(len(command) == 1 for command in commands.values()), commands


def test_the_four_services_run_two_replicas(resolved: dict[str, Any]) -> None:
    processes = sori_processes(resolved)
    replicas = {s["command"][0]: s.get("deploy", {}).get("replicas", 1) for s in processes.values()}
    assert {role: replicas[role] for role in SERVICES} == dict.fromkeys(SERVICES, 2)


def test_sori_processes_start_after_the_migration_and_the_topics(resolved: dict[str, Any]) -> None:
    for name, service in sori_processes(resolved).items():
        if service["command"] == ["migrate"]:
            assert service.get("restart") == "no"
            continue
        conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
        assert conditions["migrate"] == "service_completed_successfully", name
        assert conditions["kafka-topics"] == "service_completed_successfully", name


def test_sori_processes_reach_kafka_temporal_and_postgresql_in_the_stack(resolved: dict[str, Any]) -> None:
    for name, service in sori_processes(resolved).items():
        env = service["environment"]
        assert env["KAFKA_BOOTSTRAP_SERVERS"] == "kafka:9092", name
        assert env["TEMPORAL_ADDRESS"] == "temporal:7233", name
        assert env["DATABASE_URL"].startswith("postgresql+asyncpg://"), name
        assert env["SORI_HOST"] == "0.0.0.0", name
        assert env["SORI_SECRET"] == env_file(ENV_EXAMPLE)["SORI_SECRET"], name


def test_the_topic_job_creates_every_topic_and_dead_letter_twin_with_partitions_from_variables(
    resolved: dict[str, Any],
) -> None:
    job = resolved["services"]["kafka-topics"]
    script = "\n".join(job["command"])
    for topic in PRODUCER_TOPICS:
        assert topic in script, topic
    assert f'"$$topic{DLQ_SUFFIX}"' in script, "each topic's dead-letter twin is created beside it"
    example = env_file(ENV_EXAMPLE)
    assert str(job["environment"]["PARTITIONS"]) == example["SORI_KAFKA_PARTITIONS"]
    assert str(job["environment"]["REPLICATION"]) == example["SORI_KAFKA_REPLICATION"]


def test_temporal_runs_on_the_stacks_postgresql(resolved: dict[str, Any]) -> None:
    temporal = resolved["services"]["temporal"]
    assert temporal["image"].startswith("temporalio/auto-setup")
    assert temporal["environment"]["DB"] == "postgres12"
    assert temporal["environment"]["POSTGRES_SEEDS"] == "postgres"


def test_secrets_come_only_from_the_environment() -> None:
    raw = COMPOSE.read_text()
    for key in ("SORI_SECRET", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"):
        assert f"${{{key}:?" in raw, f"{key} must be required from the environment, never defaulted"
    example = env_file(ENV_EXAMPLE)
    for key in SECRET_KEYS:
        assert example[key].startswith("replace-with-"), f"{key} in .env.example must be a placeholder"
    assert not (DEPLOY / ".env").exists() or ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_prometheus_scrapes_every_sori_process(resolved: dict[str, Any]) -> None:
    (prometheus,) = yaml_documents(DEPLOY / "prometheus.yml")
    names = {
        name
        for job in prometheus["scrape_configs"]
        if job.get("metrics_path", "/metrics") == "/metrics"
        for sd in job.get("dns_sd_configs", [])
        for name in sd["names"]
    }
    running = {name for name, s in sori_processes(resolved).items() if s["command"] != ["migrate"]}
    assert names == running


def test_the_grafana_dashboard_has_a_panel_for_every_sori_metric() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "sori-overview.json").read_text())
    expressions = " ".join(t["expr"] for panel in dashboard["panels"] for t in panel["targets"])
    for metric in (
        "sori_http_request_seconds_bucket",
        "sori_http_requests_total",
        "sori_outbox_pending",
        "sori_outbox_parked",
        "sori_consumer_lag",
        "sori_dead_letters_total",
        "sori_workflows_by_status",
    ):
        assert metric in expressions, metric
    provisioning = DEPLOY / "grafana" / "provisioning"
    (datasources,) = yaml_documents(provisioning / "datasources" / "prometheus.yaml")
    assert {d["uid"] for d in datasources["datasources"]} >= {"prometheus"}
    (providers,) = yaml_documents(provisioning / "dashboards" / "sori.yaml")
    assert providers["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def test_every_sori_process_produces_with_acks_all_and_idempotence(resolved: dict[str, Any]) -> None:
    for name, service in sori_processes(resolved).items():
        environment = {key: value for key, value in service["environment"].items() if value is not None}
        assert producer_options(settings_in(environment)) == {"acks": "all", "enable_idempotence": True}, name


def host_of(port: str | dict[str, Any]) -> str:
    """The host address a published port binds ("127.0.0.1:3000:3000/tcp" or {"published": 8080, …})."""
    if isinstance(port, dict):
        return str(port.get("host_ip", "0.0.0.0"))
    return port.split(":")[0] if port.count(":") == 2 else "0.0.0.0"


def test_the_temporal_ui_is_read_only_behind_sign_in_on_this_host_only(resolved: dict[str, Any]) -> None:
    ui = resolved["services"]["temporal-ui"]
    environment = ui["environment"]
    assert {name for name, value in environment.items() if str(value).lower() == "true"} >= TEMPORAL_UI_READ_ONLY
    assert environment["TEMPORAL_AUTH_TYPE"] == "oidc"
    assert {host_of(port) for port in ui["ports"]} == {"127.0.0.1"}


def test_nothing_without_a_sign_in_of_its_own_is_published_beyond_this_host(resolved: dict[str, Any]) -> None:
    published = {
        name: host_of(port) for name, service in resolved["services"].items() for port in service.get("ports", [])
    }
    assert {name for name, host in published.items() if host != "127.0.0.1"} == {"gateway"}
    assert {"temporal-ui", "jaeger", "prometheus"} <= set(published)
    assert "temporal" not in published, "only SoRi's processes reach the Temporal frontend"


def refused_by_the_gateway() -> set[str]:
    config = (DEPLOY / "nginx.conf").read_text()
    blocked = re.search(r"location ~ \^/\((?P<paths>[^)]*)\)\(/\|\$\) \{\s*return 404;", config)
    assert blocked, "nginx.conf has a location that refuses the operational paths"
    return {path.replace("\\.", ".") for path in blocked["paths"].split("|")}


def test_the_gateway_answers_no_operational_endpoint() -> None:
    assert refused_by_the_gateway() >= {"metrics", "docs", "redoc", "openapi.json", "readyz", "healthz"}


def test_the_gateway_passes_the_event_catalogue_and_its_page_on_to_progress() -> None:
    assert not refused_by_the_gateway() & {"asyncapi.json", "developers"}
    portal = re.search(r"location / \{\s*set \$upstream (?P<upstream>\S+);", (DEPLOY / "nginx.conf").read_text())
    assert portal, "nginx.conf routes / somewhere"
    assert portal["upstream"] == "http://progress:8000"


def test_portal_cookies_are_secure_behind_the_gateway(resolved: dict[str, Any]) -> None:
    for name, service in sori_processes(resolved).items():
        environment = {key: value for key, value in service["environment"].items() if value is not None}
        assert settings_in(environment).secure_cookies is True, name
