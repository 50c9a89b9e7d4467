"""The generated project's Kubernetes manifests run for real on one machine: `podman kube play`
plays the pod templates of the production overlay (`just deploy_manifests`) with the image that
`just build` made, against the project's Postgres, Redis and mail sink on the host.

Podman 4.3 plays Pods but not Jobs, so every workload is played as a Pod of its own: the
migration Job's pod to completion, two `web` pods, one `worker`, one `scheduler`. What a cluster
adds and this cannot show (Services, rollout order, KEDA, NetworkPolicy enforcement, the preStop
pause) stays unproven here. Changes to the pod templates, all for one machine: host networking
(the services listen on 127.0.0.1; each web pod gets its own PORT), Secret app replaced by a
ConfigMap of test values (podman 4.3 reads a secretRef from its own store, one per machine, which
parallel tests would share), the settings that point at the host's services, and the scheduler's
purge of expired sessions moved to every minute (JOBS_SCHEDULE) so that it fires during the
test. Security context, read-only root file system, emptyDir, args and resources are played as
rendered.
"""

import copy
import json
import secrets
import shlex
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
PURGE = "purge-expired-sessions-and-links-nightly"  # an entry of the project's beat schedule
# The jq program of the docs (kubernetes, "One machine") that turns KEY=value lines into the JSON
# object of base64 values that Podman 4.3 reads a Kubernetes secretRef from.
SECRETS_AS_JSON = (
    '[inputs | select(test("^[A-Z_][A-Z0-9_]*="))'
    ' | capture("^(?<key>[^=]+)=(?<value>.*)$") | {(.key): (.value | @base64)}] | add'
)


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
    other pod and running the job the scheduler pod sends, and a web pod stopped by SIGTERM
    under load losing no request."""
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
        "FORWARDED_ALLOW_IPS": "",  # host networking, no proxy in front: clients connect directly
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
        logs = logs_of(migrate)
        assert status == "0", f"the migration pod failed:\n{logs}"
        assert "Running upgrade" in logs

        origins = [f"http://127.0.0.1:{ports}", f"http://127.0.0.1:{ports + 1}"]
        webs = [
            cluster.play("Deployment", "web", f"web-{index}", PORT=str(ports + index))
            for index in range(2)
        ]
        worker = cluster.play("Deployment", "worker", "worker")
        # The scheduler fires its nightly purge of expired sessions every minute instead: the
        # production schedule moved through the setting for it, in this pod only.
        scheduler = cluster.play(
            "Deployment", "scheduler", "scheduler", JOBS_SCHEDULE=json.dumps({PURGE: "* * * * *"})
        )
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

        # The scheduler pod (beat, its schedule file on the pod's emptyDir) sends the purge, and
        # the worker pod runs it: a session expired in the database disappears, the live one stays.
        status, _, body = fetch(f"{origins[0]}/api/auth/login", "POST", credentials, **same_origin)
        assert status == 200, body
        expired = query(
            webs[0],
            "UPDATE sessions SET created_at = now() - interval '400 days',"
            " last_seen_at = now() - interval '400 days'"
            " WHERE id = (SELECT id FROM sessions ORDER BY created_at DESC LIMIT 1)"
            " RETURNING id",
        )
        remaining = f"SELECT count(*) FROM sessions WHERE id = '{expired}'"
        wait_until(
            lambda: query(webs[0], remaining) == "0",
            "the scheduled purge removed the expired session",
            timeout=300,
        )
        assert f"Sending due task {PURGE}" in logs_of(scheduler)
        assert "expired sessions and links purged" in logs_of(worker)
        status, _, body = fetch(f"{origins[1]}/api/account", **logged_in)
        assert status == 200, body

        outcome = stop_one_web_pod_under_load(webs[0], origins, logged_in)
        assert outcome["lost"] == [], outcome
        assert outcome["served_after_stop"] > 0, outcome

        play_the_machine_overlay(project, repository, settings, logged_in, f"{prefix}-machine")


def unit_commands(path: Path) -> dict[str, list[str]]:
    """ExecStart and ExecStop of systemd's podman-kube@ unit (the one Podman installs) for the
    file at `path`: the podman arguments the unit runs for `podman-kube@<path>.service`."""
    unit = Path("/usr/lib/systemd/system/podman-kube@.service")
    assert unit.exists(), "Podman's podman-kube@ unit is not installed"
    commands = {}
    for line in unit.read_text().splitlines():
        key, _, command = line.partition("=")
        if key in ("ExecStart", "ExecStop"):
            program, *arguments = shlex.split(command)
            assert Path(program).name == "podman", line
            commands[key] = [str(path) if argument == "%I" else argument for argument in arguments]
    return commands


def play_the_machine_overlay(
    project: Path, repository: str, settings: dict[str, str], logged_in: dict[str, str], prefix: str
) -> None:
    """The file a single machine runs (`just deploy_manifests machine`, docs: "One machine"),
    played whole by the commands of systemd's podman-kube@ unit, with the secrets in Podman's
    store by the docs' jq command and the migrations by the docs' `podman run`. Changed for a
    shared test machine only: the Deployments and the secret named with `prefix` (Podman's pods
    and secrets are one set per machine), and the ConfigMap's settings pointing at this test's
    services and a free port, as the machine's operator edits app.env."""
    digest = podman("image", "inspect", "--format", "{{.Digest}}", repository).stdout.strip()
    image = f"{repository}@{digest}"
    rendered = just(project, "deploy_manifests", "machine", image)
    assert rendered.returncode == 0, rendered.stderr
    directory = project / "tmp" / "kube-play" / "machine"
    directory.mkdir(parents=True, exist_ok=True)
    secret_names = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")
    secrets_file = directory / "secrets.env"
    secrets_file.write_text("".join(f"{name}={settings[name]}\n" for name in secret_names))
    port = free_port_block(1)
    origin = f"http://127.0.0.1:{port}"
    local = {name: value for name, value in settings.items() if name not in secret_names}
    local |= {"PORT": str(port), "PUBLIC_URL": origin}
    secret = f"{prefix}-app"
    objects = [document for document in yaml.safe_load_all(rendered.stdout) if document]
    for document in objects:
        if document["kind"] == "ConfigMap":
            document["data"] |= local
            app_settings = document["data"]
        if document["kind"] == "Deployment":
            document["metadata"]["name"] = f"{prefix}-{document['metadata']['name']}"
            for container in document["spec"]["template"]["spec"]["containers"]:
                for source in container["envFrom"]:
                    if "secretRef" in source:
                        source["secretRef"]["name"] = secret
    pods_file = directory / "pods.yaml"
    pods_file.write_text(yaml.safe_dump_all(objects))
    app_env = directory / "app.env"
    app_env.write_text("".join(f"{name}={value}\n" for name, value in app_settings.items()))
    unit = unit_commands(pods_file)
    assert SECRETS_AS_JSON in (project / "docs/kubernetes.md").read_text()
    try:
        # The docs' command: KEY=value lines as Podman secret `secret` (JSON of base64 values).
        store = 'jq -Rn "$0" "$1" | podman secret create "$2" -'
        engine_run("bash", "-c", store, SECRETS_AS_JSON, str(secrets_file), secret)
        migrated = podman(
            "run", "--rm", "--network", "host", "--env-file", str(app_env),
            "--env-file", str(secrets_file), image, "migrate",
        )  # fmt: skip
        assert "Running upgrade" not in migrated.stdout + migrated.stderr  # already at head
        podman(*unit["ExecStart"])
        pods = podman("pod", "ps", "--filter", f"name={prefix}-", "--format", "{{.Name}}")
        roles = ("web", "worker", "scheduler")
        assert sorted(pods.stdout.split()) == sorted(f"{prefix}-{role}-pod-0" for role in roles)
        wait_until(lambda: fetch(f"{origin}/readyz")[0] == 200, "the machine's web pod is ready")
        status, _, body = fetch(f"{origin}/api/account", **logged_in)
        assert status == 200, body
        for role in ("worker", "scheduler"):
            running = podman(
                "inspect", "--format", "{{.State.Running}}", f"{prefix}-{role}-pod-0-{role}"
            )
            assert running.stdout.strip() == "true", role
        podman(*unit["ExecStop"])
        left = podman("pod", "ps", "--filter", f"name={prefix}-", "--format", "{{.Name}}")
        assert left.stdout.strip() == ""
    finally:
        podman(*unit["ExecStop"], check=False)
        podman("secret", "rm", secret, check=False)


def logs_of(container: str) -> str:
    logs = podman("logs", container)
    return logs.stderr + logs.stdout


def query(container: str, statement: str) -> str:
    """The first column of the first row `statement` returns, run by the image's psycopg in
    `container` on its DATABASE_URL (committed)."""
    script = (
        "import os, sys, psycopg\n"
        "with psycopg.connect(os.environ['DATABASE_URL'], autocommit=True) as connection:\n"
        "    print(connection.execute(sys.argv[1]).fetchone()[0])\n"
    )
    return podman("exec", container, "python", "-c", script, statement).stdout.strip()


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
