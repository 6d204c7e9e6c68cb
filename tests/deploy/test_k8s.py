"""deploy/k8s: valid manifests, probes and limits everywhere, path routing, topics, and a complete kustomization."""

from pathlib import PurePosixPath
from typing import Any

import kubernetes_validate
import pytest

from contracts.topics import all_topics
from sori.kafka import producer_options
from sori.roles import PIPELINE, ROLES, SERVICES
from tests.deploy.files import (
    K8S,
    NOT_MANIFESTS,
    STRIMZI_API,
    TEMPORAL_UI_READ_ONLY,
    kustomization,
    manifests,
    of_kind,
    settings_in,
    yaml_documents,
)

KUBERNETES_VERSION = "1.30.0"
OPERATIONAL_PATHS = {"/metrics", "/docs", "/redoc", "/openapi.json", "/readyz", "/healthz"}
# The settings that make a SoRi process show the Temporal frontend its client certificate, each naming a file.
TEMPORAL_TLS_FILES = (
    "TEMPORAL_TLS_SERVER_CA_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_CERT_PATH",
    "TEMPORAL_TLS_CLIENT_KEY_PATH",
)
SORI_CLIENT_CERTIFICATES = "sori-temporal-tls"
TEMPORAL_CERTIFICATES = "temporal-tls"
ROUTES = {
    "/roadmaps/v1": "roadmaps",
    "/working-group/v1": "working_group",
    "/social-approaches/v1": "social_approaches",
    "/notifications/v1": "notifications",
    "/progress/v1": "progress",
    "/": "progress",
}


def role_of(deployment: dict[str, Any]) -> str:
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    args: list[str] = container["args"]
    assert len(args) == 1, f"{deployment['metadata']['name']}: the image's argument is the role alone"
    return args[0]


def deployments_by_role() -> dict[str, dict[str, Any]]:
    return {role_of(deployment): deployment for deployment in of_kind("Deployment")}


def test_the_kustomization_lists_every_manifest_file_in_the_folder() -> None:
    listed = kustomization()["resources"]
    on_disk = sorted(path.name for path in K8S.glob("*.y*ml") if path.name not in NOT_MANIFESTS)
    assert sorted(listed) == on_disk
    assert len(listed) == len(set(listed))
    assert kustomization()["namespace"] == "sori"


@pytest.mark.parametrize("name", sorted(path.name for path in K8S.glob("*.y*ml") if path.name not in NOT_MANIFESTS))
def test_kubernetes_validate_passes_on_every_built_in_manifest(name: str) -> None:
    documents = yaml_documents(K8S / name)
    assert documents, f"{name} is empty"
    for document in documents:
        if document["apiVersion"] == STRIMZI_API:
            continue
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_kubernetes_validate_rejects_what_is_not_a_valid_manifest() -> None:
    broken = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"}, "spec": {"replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_there_is_one_deployment_per_role_on_the_one_image() -> None:
    deployments = of_kind("Deployment")
    assert sorted(role_of(d) for d in deployments) == sorted(ROLES)
    images = {c["image"] for d in deployments for c in d["spec"]["template"]["spec"]["containers"]}
    assert images == {"sori:latest"}
    assert {image["name"] for image in kustomization()["images"]} == {"sori"}


def test_every_deployment_has_both_probes_resource_limits_and_runs_as_non_root() -> None:
    for deployment in of_kind("Deployment"):
        name = deployment["metadata"]["name"]
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            assert container["securityContext"]["runAsNonRoot"] is True, name


def test_every_process_reads_the_config_map_and_the_uncommitted_secret() -> None:
    (config_map,) = of_kind("ConfigMap")
    for key in ("KAFKA_BOOTSTRAP_SERVERS", "TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "SORI_HOST", "SORI_LOG_LEVEL"):
        assert key in config_map["data"], key
    assert not {"SORI_SECRET", "DATABASE_URL"} & set(config_map["data"]), "secrets belong in sori-secrets"
    assert not of_kind("Secret"), "no Secret is committed; create sori-secrets in the cluster"
    workloads = of_kind("Deployment") + of_kind("Job")
    for workload in workloads:
        for container in workload["spec"]["template"]["spec"]["containers"]:
            sources = container["envFrom"]
            assert {"configMapRef": {"name": config_map["metadata"]["name"]}} in sources
            assert {"secretRef": {"name": "sori-secrets"}} in sources


def test_the_ingress_routes_every_prefix_to_the_right_service() -> None:
    (ingress,) = of_kind("Ingress")
    services = {service["metadata"]["name"]: service for service in of_kind("Service")}
    deployments = deployments_by_role()
    routes: dict[str, str] = {}
    for rule in ingress["spec"]["rules"]:
        for path in rule["http"]["paths"]:
            if path["pathType"] == "Exact":
                assert path["path"] in OPERATIONAL_PATHS
                continue
            assert path["pathType"] == "Prefix"
            backend = path["backend"]["service"]
            service = services[backend["name"]]
            assert backend["port"]["name"] in {port["name"] for port in service["spec"]["ports"]}
            selected = [
                role
                for role, deployment in deployments.items()
                if service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
            ]
            assert len(selected) == 1, f"{backend['name']} selects {selected}"
            routes[path["path"]] = selected[0]
    assert routes == ROUTES


def test_the_four_services_scale_with_autoscalers_and_every_process_has_a_disruption_budget() -> None:
    deployments = deployments_by_role()
    scaled = {hpa["spec"]["scaleTargetRef"]["name"]: hpa for hpa in of_kind("HorizontalPodAutoscaler")}
    assert set(scaled) == {deployments[role]["metadata"]["name"] for role in SERVICES}
    assert all(hpa["spec"]["minReplicas"] >= 2 for hpa in scaled.values())
    budgets = [pdb["spec"]["selector"]["matchLabels"] for pdb in of_kind("PodDisruptionBudget")]
    for role, deployment in deployments.items():
        assert deployment["spec"]["selector"]["matchLabels"] in budgets, role


def test_the_migration_job_runs_sori_migrate_on_the_image() -> None:
    (job,) = of_kind("Job")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "sori:latest"
    assert container["args"] == ["migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] in {"OnFailure", "Never"}


def test_kafka_topics_are_strimzi_resources_with_partitions_and_replicas() -> None:
    topics = [doc for doc in manifests() if doc["apiVersion"] == STRIMZI_API]
    assert {topic["kind"] for topic in topics} == {"KafkaTopic"}
    assert sorted(topic["spec"]["topicName"] for topic in topics) == sorted(all_topics())
    (config_map,) = of_kind("ConfigMap")
    for topic in topics:
        assert topic["metadata"]["labels"]["strimzi.io/cluster"]
        assert topic["spec"]["partitions"] == int(config_map["data"]["SORI_KAFKA_PARTITIONS"])
        assert topic["spec"]["replicas"] == int(config_map["data"]["SORI_KAFKA_REPLICATION"])


def test_the_temporal_helm_values_put_temporal_on_postgresql() -> None:
    (values,) = yaml_documents(K8S / "temporal-values.yaml")
    persistence = values["server"]["config"]["persistence"]
    for store in ("default", "visibility"):
        assert persistence[store]["driver"] == "sql"
        assert persistence[store]["sql"]["driver"] == "postgres12"
        assert "password" not in persistence[store]["sql"], "the password comes from an existing Secret"
    for bundled in ("cassandra", "mysql", "elasticsearch"):
        assert values[bundled]["enabled"] is False


def test_producers_wait_for_the_replicas_the_topics_require() -> None:
    (config_map,) = of_kind("ConfigMap")
    producer = producer_options(settings_in(config_map["data"]))
    assert producer == {"acks": "all", "enable_idempotence": True}
    for topic in (doc for doc in manifests() if doc["kind"] == "KafkaTopic"):
        in_sync = int(topic["spec"]["config"]["min.insync.replicas"])
        # acks=all means something only where a write needs more than its leader, and one broker may still be down.
        assert 2 <= in_sync < topic["spec"]["replicas"], topic["metadata"]["name"]


def test_operational_endpoints_are_not_routed_to_any_process() -> None:
    (ingress,) = of_kind("Ingress")
    services = {service["metadata"]["name"]: service for service in of_kind("Service")}
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in of_kind("Deployment") + of_kind("Job")]
    exact = {
        path["path"]: path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
        if path["pathType"] == "Exact"
    }
    assert set(exact) == OPERATIONAL_PATHS
    for path, name in exact.items():
        selector = services[name]["spec"]["selector"].items()
        assert not [pod for pod in labels if selector <= pod.items()], f"{path} reaches a pod through {name}"


def test_the_temporal_ui_is_read_only_behind_sign_in_and_has_no_ingress() -> None:
    (values,) = yaml_documents(K8S / "temporal-values.yaml")
    web = values["web"]
    environment = {item["name"]: item.get("value") for item in web["additionalEnv"]}
    assert web["ingress"]["enabled"] is False
    assert web["service"]["type"] == "ClusterIP"
    assert {name for name, value in environment.items() if value == "true"} >= TEMPORAL_UI_READ_ONLY
    assert environment["TEMPORAL_AUTH_TYPE"] == "oidc"


def test_only_sori_and_temporal_reach_the_temporal_frontend() -> None:
    (policy,) = yaml_documents(K8S / "temporal-network-policy.yaml")
    kubernetes_validate.validate(policy, KUBERNETES_VERSION, strict=True)
    assert policy["metadata"]["namespace"] == "temporal"
    assert policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "frontend"
    (rule,) = policy["spec"]["ingress"]
    sources = rule["from"]
    assert {
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "sori"}},
        "podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "sori"}},
    } in sources
    assert {"podSelector": {}} in sources  # Temporal's own services, in its namespace
    assert len(sources) == 2
    assert rule["ports"] == [{"protocol": "TCP", "port": 7233}]


def test_portal_cookies_are_secure_behind_the_ingress() -> None:
    (config_map,) = of_kind("ConfigMap")
    assert settings_in(config_map["data"]).secure_cookies is True


def secret_holding(path: str, mounts: list[dict[str, Any]], volumes: list[dict[str, Any]]) -> str | None:
    """The Secret whose volume is mounted where `path` lies, if any."""
    secrets: dict[str, str] = {v["name"]: v["secret"]["secretName"] for v in volumes if "secret" in v}
    for mount in mounts:
        if PurePosixPath(path).is_relative_to(mount["mountPath"]) and mount["name"] in secrets:
            return secrets[mount["name"]]
    return None


def test_every_process_that_talks_to_temporal_shows_its_client_certificate_and_no_other_holds_it() -> None:
    for role, deployment in deployments_by_role().items():
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        environment = {item["name"]: item.get("value") for item in container.get("env", [])}
        mounts, volumes = container.get("volumeMounts", []), pod.get("volumes", [])
        holds_it = any(secret_holding(m["mountPath"], mounts, volumes) == SORI_CLIENT_CERTIFICATES for m in mounts)
        if role not in PIPELINE:  # the services never reach Temporal: they have no business with its certificate
            assert not holds_it, role
            assert not set(TEMPORAL_TLS_FILES) & set(environment), role
            continue
        for name in TEMPORAL_TLS_FILES:
            assert name in environment, f"{role} talks to Temporal without {name}"
            assert secret_holding(environment[name], mounts, volumes) == SORI_CLIENT_CERTIFICATES, f"{role}: {name}"
        assert environment["TEMPORAL_TLS_SERVER_NAME"], role


def test_the_temporal_frontend_and_its_services_require_client_certificates_from_the_mounted_secret() -> None:
    (values,) = yaml_documents(K8S / "temporal-values.yaml")
    server = values["server"]
    tls, mounts, volumes = server["config"]["tls"], server["additionalVolumeMounts"], server["additionalVolumes"]
    for side in ("frontend", "internode"):
        listening = tls[side]["server"]
        assert listening["requireClientAuth"] is True, f"{side} takes clients without a certificate"
        assert listening["clientCaFiles"], side
        for path in (listening["certFile"], listening["keyFile"], *listening["clientCaFiles"]):
            assert secret_holding(path, mounts, volumes) == TEMPORAL_CERTIFICATES, f"{side}: {path}"
        assert tls[side]["client"]["serverName"], side


def test_the_temporal_ui_and_admin_tools_reach_the_frontend_with_a_client_certificate() -> None:
    (values,) = yaml_documents(K8S / "temporal-values.yaml")
    clients = {
        "web": ("TEMPORAL_TLS_CA", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY"),
        "admintools": TEMPORAL_TLS_FILES,  # the `temporal` CLI reads the names SoRi reads
    }
    for part, names in clients.items():
        environment = {item["name"]: item.get("value") for item in values[part]["additionalEnv"]}
        for name in names:
            path = environment[name]
            held = secret_holding(path, values[part]["additionalVolumeMounts"], values[part]["additionalVolumes"])
            assert held == TEMPORAL_CERTIFICATES, f"{part}: {name}"
