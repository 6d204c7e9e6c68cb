"""The deployment files under deploy/ and small readers for them."""

import os
import shlex
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from sori.settings import Settings

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
DOCKERFILE = DEPLOY / "Dockerfile"
# Files in deploy/k8s that are not manifests for `kubectl apply -k`.
NOT_MANIFESTS = {"kustomization.yaml", "temporal-values.yaml", "temporal-network-policy.yaml"}
STRIMZI_API = "kafka.strimzi.io/v1beta2"
# The Temporal UI's switches that, all on, leave it no way to change a workflow.
TEMPORAL_UI_READ_ONLY = {
    "TEMPORAL_DISABLE_WRITE_ACTIONS",
    "TEMPORAL_WORKFLOW_TERMINATE_DISABLED",
    "TEMPORAL_WORKFLOW_CANCEL_DISABLED",
    "TEMPORAL_WORKFLOW_SIGNAL_DISABLED",
    "TEMPORAL_WORKFLOW_RESET_DISABLED",
    "TEMPORAL_START_WORKFLOW_DISABLED",
    "TEMPORAL_BATCH_ACTIONS_DISABLED",
    "TEMPORAL_AUTH_ENABLED",
}


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of a file."""
    with path.open() as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def kustomization() -> dict[str, Any]:
    documents = yaml_documents(K8S / "kustomization.yaml")
    assert len(documents) == 1, "kustomization.yaml holds one document"
    return documents[0]


def manifests() -> list[dict[str, Any]]:
    """Every resource `kubectl apply -k deploy/k8s` applies, in the kustomization's order."""
    return [doc for name in kustomization()["resources"] for doc in yaml_documents(K8S / name)]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for doc in manifests() if doc["kind"] == kind]


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of an .env file (comments and blank lines left out)."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def require_tool(name: str) -> str:
    """The path of a command-line tool; fails (never skips) when it is missing, naming how to install it."""
    path = shutil.which(name)
    assert path, f"{name} is not installed: run `make system-tools` (tests/deploy need it)"
    return path


def exec_form(line: str) -> list[str]:
    """The argument list of a Dockerfile ENTRYPOINT / CMD in exec (JSON) or shell form."""
    value = line.split(None, 1)[1].strip()
    if value.startswith("["):
        parsed = yaml.safe_load(value)
        assert isinstance(parsed, list), f"not an exec-form list: {line!r}"
        return [str(item) for item in parsed]
    return ["/bin/sh", "-c", value] if shlex.split(value) else []


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, line) for every instruction of the Dockerfile, continuation lines joined."""
    joined = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    return [(line.split(None, 1)[0].upper(), line) for line in lines if line and not line.startswith("#")]


def settings_in(environment: dict[str, Any]) -> Settings:
    """The settings a SoRi process reads from this environment alone, as a container gets it."""
    with mock.patch.dict(os.environ, {key: str(value) for key, value in environment.items()}, clear=True):
        return Settings()
