"""The generated project's Kubernetes manifests (deploy/kubernetes): every overlay builds with
kubectl's kustomize through `just deploy_manifests`, validates against the schema of a named
Kubernetes version (kubernetes-validate), and every overlay for a cluster passes checkov's policy
scan with the project's own skip list (the machine overlay shares the host's network by design).
What needs a real cluster (rollout order, KEDA, NetworkPolicy enforcement) is not
proven here; tests/kube_play.py (from tests/test_image.py) runs the pods for real on podman.
"""

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import Render
from tests.support import clean_env, just

# The oldest Kubernetes the manifests promise to fit (docs, deploy).
KUBERNETES_VERSION = "1.33.0"
# Kinds of operators the overlays may use, whose schemas are CRDs outside Kubernetes itself.
OPERATOR_KINDS = {"ScaledObject", "TriggerAuthentication", "SecretStore", "ExternalSecret"}
# checkov pins an old `packaging` that the template's own tools outgrew: it runs in a uv tool
# environment of its own, this version.
CHECKOV = "checkov==3.3.30"
IMAGE = "ghcr.io/acme/demo-app@sha256:" + hashlib.sha256(b"image").hexdigest()

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")


def manifests(project: Path, overlay: str, image: str = IMAGE) -> Path:
    """The overlay as `just deploy` applies it, written to a file beside the project."""
    result = just(project, "deploy_manifests", overlay, image)
    assert result.returncode == 0, result.stderr
    target = project / "tmp" / f"{overlay}.yaml"
    target.write_text(result.stdout)
    return target


def with_keda(project: Path) -> str:
    """A production overlay that adds components/keda, as the docs tell a KEDA cluster to."""
    overlay = project / "deploy/kubernetes/overlays/production-keda"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "namespace: demo-app-production\n"
        "resources: [../production]\n"
        "components: [../../components/keda]\n"
    )
    return overlay.name


def documents(path: Path) -> list[dict]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def kubernetes_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["kubernetes-validate", "--kubernetes-version", KUBERNETES_VERSION, "--strict", str(path)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("use_1password", [False, True])
@pytest.mark.parametrize("overlay", ["staging", "production", "machine"])
def test_overlay_builds_and_validates_against_the_kubernetes_schema(
    render: Render, overlay: str, use_1password: bool
):
    project = render(use_1password=use_1password)
    rendered = manifests(project, overlay)
    result = kubernetes_validate(rendered)
    assert result.returncode == 0, result.stdout + result.stderr
    unchecked = set(re.findall(r"Couldn't find schema for kind (\w+)", result.stdout))
    assert unchecked <= OPERATOR_KINDS, result.stdout
    kinds = {document["kind"] for document in documents(rendered)}
    assert ("ExternalSecret" in kinds) is use_1password
    assert {"Deployment", "Job", "Service", "Ingress", "PodDisruptionBudget"} <= kinds
    assert {"NetworkPolicy", "HorizontalPodAutoscaler", "ConfigMap"} <= kinds


def test_keda_component_replaces_the_worker_autoscaler(render: Render):
    project = render()
    rendered = manifests(project, with_keda(project))
    result = kubernetes_validate(rendered)
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = [document["kind"] for document in documents(rendered)]
    assert "ScaledObject" in kinds
    assert "HorizontalPodAutoscaler" not in kinds  # KEDA owns the worker's HPA


def test_overlays_pass_the_policy_scan(render: Render):
    project = render()
    overlays = ["staging", "production", with_keda(project)]
    rendered = [str(manifests(project, overlay)) for overlay in overlays]
    config = project / "deploy/kubernetes/.checkov.yaml"
    result = subprocess.run(  # one run for all: checkov takes seconds of CPU to start
        [
            "uv",
            "tool",
            "run",
            "--from",
            CHECKOV,
            "checkov",
            "--config-file",
            str(config),
            "--compact",
            "--file",
            *rendered,
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert re.search(r"Passed checks: [1-9]\d*, Failed checks: 0", result.stdout), result.stdout


def test_each_skipped_policy_check_says_why(render: Render):
    project = render()
    lines = (project / "deploy/kubernetes/.checkov.yaml").read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"\s+- CKV", line):
            before = lines[index - 1].strip()
            assert before.startswith("#") or re.match(r"- CKV", before), line


def test_processes_keep_their_promises(render: Render):
    project = render()
    objects = {
        (document["kind"], document["metadata"]["name"]): document
        for document in documents(manifests(project, "production"))
    }
    web = objects["Deployment", "web"]["spec"]
    assert web["replicas"] >= 2
    assert web["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    container = web["template"]["spec"]["containers"][0]
    assert container["startupProbe"]["httpGet"]["path"] == "/readyz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/livez"
    assert container["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
    assert web["template"]["spec"]["topologySpreadConstraints"]
    scheduler = objects["Deployment", "scheduler"]["spec"]
    assert scheduler["replicas"] == 1
    assert scheduler["strategy"]["type"] == "Recreate"  # never two during a rollout
    for kind, name in [("Deployment", "web"), ("Deployment", "worker"), ("Job", "migrate")]:
        pod = objects[kind, name]["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for each in pod["containers"]:
            assert each["securityContext"]["readOnlyRootFilesystem"] is True
            assert each["resources"]["limits"]["memory"]
            assert each["image"] == IMAGE
    host = objects["Ingress", "web"]["spec"]["rules"][0]["host"]
    public_url = next(
        document["data"]["PUBLIC_URL"]
        for (kind, _), document in objects.items()
        if kind == "ConfigMap"
    )
    assert public_url == f"https://{host}"


def test_the_machine_overlay_is_production_on_one_host(render: Render):
    """The pods a single machine plays are production's: one web pod, the host's network, and
    web listening on the loopback only (Caddy in front) with no port to map; nothing else
    differs."""
    project = render()
    overlays = {
        overlay: {
            (document["kind"], document["metadata"]["name"]): document
            for document in documents(manifests(project, overlay))
        }
        for overlay in ("production", "machine")
    }
    settings = {
        overlay: next(document for (kind, _), document in objects.items() if kind == "ConfigMap")
        for overlay, objects in overlays.items()
    }
    assert settings["machine"]["data"] == {**settings["production"]["data"], "HOST": "127.0.0.1"}
    assert overlays["machine"]["Deployment", "web"]["spec"]["replicas"] == 1
    for name in ("web", "worker", "scheduler"):
        pod = overlays["machine"]["Deployment", name]["spec"]["template"]["spec"]
        assert pod.pop("hostNetwork") is True
        if name == "web":
            assert "ports" not in pod["containers"][0]
            pod["containers"][0]["ports"] = [{"name": "http", "containerPort": 8000}]
        as_in_production = yaml.safe_dump(pod).replace(
            settings["machine"]["metadata"]["name"], settings["production"]["metadata"]["name"]
        )
        production = overlays["production"]["Deployment", name]["spec"]["template"]["spec"]
        assert yaml.safe_load(as_in_production) == production


def test_deploy_manifests_refuses_an_image_not_pinned_by_digest(render: Render):
    project = render()
    result = just(project, "deploy_manifests", "production", "ghcr.io/acme/demo-app:latest")
    assert result.returncode != 0
    assert "pinned by digest" in result.stderr


def test_overlays_name_one_namespace_each(render: Render):
    project = render()
    namespaces = {
        overlay: just(project, "_deploy_namespace", overlay).stdout.strip()
        for overlay in ("staging", "production")
    }
    assert namespaces == {"staging": "demo-app-staging", "production": "demo-app-production"}
    for overlay, namespace in namespaces.items():
        assert {
            document["metadata"].get("namespace")
            for document in documents(manifests(project, overlay))
        } == {namespace}


def fake_kubectl(directory: Path) -> Path:
    """A `kubectl` on PATH that records its calls and talks to no cluster: kustomize runs for
    real; `wait` fails when KUBECTL_WAIT_FAILS is set. The log is kubectl.log beside it."""
    real = shutil.which("kubectl")
    bin_directory = directory / "bin"
    bin_directory.mkdir()
    script = bin_directory / "kubectl"
    script.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$*" >>"{directory}/kubectl.log"\n'
        f'if [[ $1 == kustomize ]]; then exec "{real}" "$@"; fi\n'
        'if [[ " $* " == *" wait "* && -n ${KUBECTL_WAIT_FAILS:-} ]]; then exit 1; fi\n'
        'if [[ $* == "config current-context" ]]; then echo test-cluster; fi\n'
        "cat >/dev/null <&0 2>/dev/null || true\n"
    )
    script.chmod(0o755)
    return bin_directory


def deploy(project: Path, bin_directory: Path, **environment: str):
    env = clean_env(PATH=f"{bin_directory}:{os.environ['PATH']}", **environment)
    return subprocess.run(
        ["just", "deploy", "production", IMAGE],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_deploy_migrates_before_the_new_release_takes_traffic(render: Render, tmp_path: Path):
    project = render()
    result = deploy(project, fake_kubectl(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    calls = (tmp_path / "kubectl.log").read_text().splitlines()

    def position(fragment: str) -> int:
        return next(index for index, call in enumerate(calls) if fragment in call)

    order = [
        "--selector !app.kubernetes.io/name",  # settings and secret references
        "delete job migrate",
        "--selector app.kubernetes.io/name=migrate",
        "wait job/migrate --for=condition=complete",
        "--selector app.kubernetes.io/name in (web,worker,scheduler)",
        "rollout status deployment/web",
    ]
    assert [position(fragment) for fragment in order] == sorted(map(position, order)), calls
    applied = (project / "tmp/deploy/production/manifests.yaml").read_text()
    assert f"image: {IMAGE}" in applied


def test_deploy_stops_when_the_migration_fails(render: Render, tmp_path: Path):
    project = render()
    result = deploy(project, fake_kubectl(tmp_path), KUBECTL_WAIT_FAILS="1")
    assert result.returncode != 0
    assert "the old release keeps serving" in result.stderr
    calls = (tmp_path / "kubectl.log").read_text()
    assert "wait job/migrate" in calls
    assert "in (web,worker,scheduler)" not in calls
