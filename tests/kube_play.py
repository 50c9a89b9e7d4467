"""The generated project's Kubernetes manifests run for real on one machine: `podman kube play`
plays the pod templates of the production overlay (`just deploy_manifests`) with the image that
`just build` made, against the project's Postgres, Redis and mail sink on the host.

Podman 4.3 plays Pods but not Jobs, so every workload is played as a Pod of its own: the
migration Job's pod to completion, two `web` pods, one `worker`, one `scheduler`. What a cluster
adds and this cannot show (Services, rollout order, KEDA, NetworkPolicy enforcement, the preStop
pause) stays unproven here. Changes to the pod templates, all for one machine: host networking
(the services listen on 127.0.0.1; each web pod gets its own PORT), Secret app replaced by a
ConfigMap of test values (podman 4.3 has no Kubernetes Secrets), and the settings that point at
the host's services. Security context, read-only root file system, emptyDir, args and
resources are played as rendered.
"""

import copy
import json
import secrets
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from tests.support import engine_run, fetch, free_port_block, just, wait_until

PASSWORD = "kube play account passphrase"  # pragma: allowlist secret
RECIPIENT = "kube-play@example.com"


def podman(*args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return engine_run("podman", *args, check=check, timeout=timeout)


class KubePlay:
    """Pods played from the overlay's manifests, named `<prefix>-<role>`, removed by `down`."""

    def __init__(
        self, project: Path, repository: str, settings: dict[str, str], prefix: str
    ) -> None:
        digest = podman("image", "inspect", "--format", "{{.Digest}}", repository).stdout.strip()
        rendered = just(project, "deploy_manifests", "production", f"{repository}@{digest}")
        assert rendered.returncode == 0, rendered.stderr
        self.objects = {
            (document["kind"], document["metadata"]["name"]): document
            for document in yaml.safe_load_all(rendered.stdout)
            if document
        }
        config = next(doc for (kind, _), doc in self.objects.items() if kind == "ConfigMap")
        self.settings = {**config["data"], **settings}
        self.directory = project / "tmp" / "kube-play"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.pods: list[str] = []

    def play(self, kind: str, name: str, role: str, **settings: str) -> str:
        """Play the pod template of `kind`/`name` as Pod `<prefix>-<role>` with the overlay's
        settings and the test's (`settings` on top); return its container's name. Each pod gets
        a ConfigMap of its own: podman 4.3 lets envFrom win over a container's env."""
        pod_name = f"{self.prefix}-{role}"
        config = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": f"{pod_name}-settings"},
            "data": {**self.settings, **settings},
        }
        config_file = self.directory / f"{role}-settings.yaml"
        config_file.write_text(yaml.safe_dump(config))
        spec = copy.deepcopy(self.objects[kind, name]["spec"]["template"]["spec"])
        spec["hostNetwork"] = True
        for container in spec["containers"]:
            container["envFrom"] = [{"configMapRef": {"name": config["metadata"]["name"]}}]
            container.pop("ports", None)  # podman maps no ports on the host's network
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": pod_name}, "spec": spec}
        pod_file = self.directory / f"{role}.yaml"
        pod_file.write_text(yaml.safe_dump(pod))
        self.pods.append(pod_name)
        podman("kube", "play", "--configmap", str(config_file), str(pod_file))
        return f"{pod_name}-{spec['containers'][0]['name']}"

    def down(self) -> None:
        for pod in self.pods:
            podman("pod", "rm", "--force", pod, check=False)


@contextmanager
def played(
    project: Path, repository: str, settings: dict[str, str], prefix: str
) -> Iterator[KubePlay]:
    cluster = KubePlay(project, repository, settings, prefix)
    try:
        yield cluster
    finally:
        cluster.down()


def play_the_production_overlay(
    project: Path, repository: str, env: dict[str, str], mail: Callable[[], str], prefix: str
) -> None:
    """Migrations, two web pods sharing sessions, a worker delivering mail queued through the
    other pod, the scheduler, and a web pod stopped by SIGTERM under load losing no request."""
    ports = free_port_block(2)
    database = f"{env['POSTGRES_DB']}_kube"
    settings = {
        "DATABASE_URL": f"{env['DATABASE_URL'].rsplit('/', 1)[0]}/{database}",
        "REDIS_URL": f"redis://127.0.0.1:{env['REDIS_PORT']}/4",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PUBLIC_URL": f"http://127.0.0.1:{ports}",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": env["MAILPIT_SMTP_PORT"],
        "SMTP_STARTTLS": "false",
        "WEB_CONCURRENCY": "1",
    }
    with played(project, repository, settings, prefix) as cluster:
        # The migration Job's pod, to completion, on a new database of its own (in a cluster the
        # managed database exists before the first deploy).
        variables = [f"--env={key}={value}" for key, value in settings.items()]
        podman(
            "run", "--rm", "--network", "host", *variables,
            f"{repository}:latest", "app", "ensure-database", "--recreate",
        )  # fmt: skip
        migrate = cluster.play("Job", "migrate", "migrate")
        status = podman("wait", migrate, timeout=600).stdout.strip()
        logs = podman("logs", migrate).stderr + podman("logs", migrate).stdout
        assert status == "0", f"the migration pod failed:\n{logs}"
        assert "Running upgrade" in logs

        origins = [f"http://127.0.0.1:{ports}", f"http://127.0.0.1:{ports + 1}"]
        webs = [
            cluster.play("Deployment", "web", f"web-{index}", PORT=str(ports + index))
            for index in range(2)
        ]
        worker = cluster.play("Deployment", "worker", "worker")
        scheduler = cluster.play("Deployment", "scheduler", "scheduler")
        for origin in origins:
            wait_until(lambda origin=origin: fetch(f"{origin}/readyz")[0] == 200, "ready")

        # Every process runs as the image's user, on a read-only root file system.
        for container in [*webs, worker, scheduler]:
            status_lines = podman("exec", container, "cat", "/proc/1/status").stdout
            assert "\nUid:\t10001\t" in status_lines, container
            touch = podman("exec", container, "touch", "/app/written", check=False)
            assert touch.returncode != 0
            assert "Read-only file system" in touch.stderr

        # Logged in through one web pod, the session works on the other (sessions in Postgres).
        podman(
            "exec", webs[0], "app", "users", "create", RECIPIENT, "--password", PASSWORD
        )  # fmt: skip
        same_origin = {"Sec-Fetch-Site": "same-origin"}
        credentials = {"email": RECIPIENT, "password": PASSWORD}
        status, headers, body = fetch(
            f"{origins[0]}/api/auth/login", "POST", credentials, **same_origin
        )
        assert status == 200, body
        cookie = "; ".join(value.split(";", 1)[0] for value in headers.get_all("Set-Cookie"))
        logged_in = {**same_origin, "Cookie": cookie}
        for origin in origins:
            status, _, body = fetch(f"{origin}/api/account", **logged_in)
            assert status == 200, body
            assert json.loads(body)["email"] == RECIPIENT

        # An email queued through the second pod, delivered by the worker pod.
        title = "Ship the pods"
        status, _, body = fetch(f"{origins[1]}/api/items", "POST", {"title": title}, **logged_in)
        assert status == 201, body
        item = json.loads(body)["id"]
        status, _, body = fetch(f"{origins[1]}/api/items/{item}/reminders", "POST", **logged_in)
        assert status == 202, body
        wait_until(lambda: title in mail() and RECIPIENT in mail(), "the worker delivered it")

        # The scheduler pod runs beat, its schedule file on the emptyDir of the read-only pod.
        wait_until(
            lambda: (
                "beat: Starting"
                in podman("logs", scheduler).stderr + podman("logs", scheduler).stdout
            ),
            "the scheduler started",
        )
        assert podman("inspect", "--format", "{{.State.Running}}", scheduler).stdout.strip() == (
            "true"
        )

        outcome = stop_one_web_pod_under_load(webs[0], origins, logged_in)
        assert outcome["lost"] == [], outcome
        assert outcome["served_after_stop"] > 0, outcome


def stop_one_web_pod_under_load(
    container: str, origins: list[str], headers: dict[str, str]
) -> dict:
    """Logged-in requests from four clients spread over both web pods; the first pod's endpoint is
    withdrawn (what a Service does when a pod starts terminating) and the pod stopped at once,
    its requests still in flight (`podman stop`: SIGTERM, then the grace period). A connection
    the stopped pod refuses is retried on the other, as an ingress proxy does; a lost request is
    one accepted that got no complete 200."""
    endpoints = list(origins)
    stopped = threading.Event()
    lock = threading.Lock()
    outcome: dict = {"served": 0, "served_after_stop": 0, "refused": 0, "lost": []}

    def client(number: int) -> None:
        turn = 0
        while outcome["served_after_stop"] < 200 and turn < 2000:
            turn += 1
            with lock:
                origin = endpoints[(number + turn) % len(endpoints)]
            try:
                status, _, _ = fetch(f"{origin}/api/items", **headers)
            except urllib.error.URLError as error:
                if isinstance(error.reason, ConnectionRefusedError):
                    with lock:
                        outcome["refused"] += 1
                    continue
                status = repr(error)
            except OSError as error:
                status = repr(error)
            with lock:
                if status == 200:
                    outcome["served"] += 1
                    outcome["served_after_stop"] += stopped.is_set()
                else:
                    outcome["lost"].append((origin, status))

    clients = [threading.Thread(target=client, args=(number,)) for number in range(4)]
    for thread in clients:
        thread.start()
    wait_until(lambda: outcome["served"] >= 40, "the load reached both pods", timeout=60)
    with lock:
        endpoints.remove(origins[0])
    # SIGTERM, then SIGKILL after the pod's grace period unless it stopped (as the kubelet does);
    # unlike `podman kill`, a stopped container is not restarted by the pod's restart policy.
    grace = "45"  # terminationGracePeriodSeconds of the web Deployment
    stopping = threading.Thread(target=podman, args=("stop", "--time", grace, container))
    stopping.start()
    stopped.set()
    stopping.join()
    for thread in clients:
        thread.join(timeout=300)
    state = podman("inspect", "--format", "{{.State.ExitCode}}", container).stdout.strip()
    logs = podman("logs", container)
    outcome["exit_code"] = state
    assert state == "0", f"the web pod did not stop gracefully: exit {state}"
    assert "Finished server process" in logs.stdout + logs.stderr
    return outcome
