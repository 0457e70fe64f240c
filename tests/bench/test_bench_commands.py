"""`make bench` measures what production runs: its processes are started from compose.yaml's
own commands, so a change to compose.yaml changes the bench with it. Cheap: nothing is started."""

import argparse
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))  # the bench's scripts import each other by name

import collab_bench  # noqa: E402
import compose  # noqa: E402
import run as bench_run  # noqa: E402
import webhooks_bench  # noqa: E402

ENV = {
    "PATH": "/usr/bin:/bin",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/pulsehr_bench",
    "REDIS_URL": "redis://127.0.0.1:6379/2",
    "SECRET_KEY": "bench",
    "WEB_CONCURRENCY": "2",
}


def compose_command(service: str, path: Path = ROOT / "compose.yaml") -> list[str]:
    command = yaml.safe_load(path.read_text())["services"][service]["command"]
    return command.split() if isinstance(command, str) else command


def program(argv: list[str]) -> str:
    return Path(argv[0]).name


def test_the_api_is_served_by_compose_web_command_with_two_workers():
    argv, env = bench_run.web_command(ENV, 8123)
    expected = compose_command("web")
    assert program(argv) == expected[0]
    assert argv[1:] == compose.rebind(expected, "127.0.0.1", 8123)[1:]
    assert env["WEB_CONCURRENCY"] == "2"
    assert (env["PORT"], env["GUNICORN_BIND"]) == ("8123", "127.0.0.1:8123")
    assert env["DATABASE_URL"] == ENV["DATABASE_URL"]


def test_the_floor_is_served_by_the_same_command_pointed_at_its_own_wsgi_app():
    web, _ = bench_run.web_command(ENV, 8123)
    floor, env = bench_run.web_command(ENV, 8123, app="bench.floor.wsgi:application")
    assert floor == [*web, "bench.floor.wsgi:application"]
    assert env["WEB_CONCURRENCY"] == "2"


def test_a_change_to_compose_yaml_is_a_change_to_the_bench(tmp_path, monkeypatch):
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services["services"]["web"]["command"] = ["gunicorn", "-c", "other.conf.py", "--bind", "0.0.0.0:9000"]
    changed = tmp_path / "compose.yaml"
    changed.write_text(yaml.safe_dump(services))
    monkeypatch.setattr(compose, "COMPOSE_FILE", changed)
    argv, _ = bench_run.web_command(ENV, 8123)
    assert argv[1:] == ["-c", "other.conf.py", "--bind", "127.0.0.1:8123"]


def test_the_webhook_bench_runs_compose_worker_and_beat_commands(tmp_path):
    commands = webhooks_bench.worker_commands(ENV, tmp_path)
    worker, beat = compose_command("worker"), compose_command("beat")
    workers = [argv for name, argv, _ in commands if name.startswith("worker")]
    assert len(workers) == webhooks_bench.WORKERS
    for number, argv in enumerate(workers, start=1):
        assert program(argv) == worker[0]
        assert argv[1:] == [*worker[1:], "--hostname", f"bench{number}@%h"]
    [(_, beat_argv, _)] = [command for command in commands if command[0] == "beat"]
    assert beat_argv[1:] == [*beat[1:], "--schedule", str(tmp_path / "celerybeat-schedule")]
    assert webhooks_bench.worker_threads(ENV) == int(worker[worker.index("--concurrency") + 1])


def test_the_collab_bench_serves_sockets_with_compose_realtime_command():
    service = collab_bench.realtime_service()
    assert service == (
        "realtime" if "realtime" in yaml.safe_load((ROOT / "compose.yaml").read_text())["services"] else "web"
    )
    argv, env = collab_bench.realtime_command(8124, 1, ENV)
    assert program(argv) == compose_command(service)[0]
    assert argv[1:] == compose.rebind(compose_command(service), "127.0.0.1", 8124)[1:]
    assert env["WEB_CONCURRENCY"] == "1"


def test_rebind_points_every_listening_flag_at_the_bench_port():
    command = ["uvicorn", "app:x", "--host", "0.0.0.0", "--port=8001", "-b", "0.0.0.0:8000", "--workers", "2"]
    assert compose.rebind(command, "127.0.0.1", 9) == [
        "uvicorn",
        "app:x",
        "--host",
        "127.0.0.1",
        "--port=9",
        "-b",
        "127.0.0.1:9",
        "--workers",
        "2",
    ]


def test_interpolation_follows_compose_including_nested_defaults():
    text = "${DATABASE_URL:-postgres://pulsehr:${POSTGRES_PASSWORD:-pulsehr}@postgres:5432/pulsehr} $$HOME $USER"
    assert compose.interpolate(text, {"USER": "me"}) == "postgres://pulsehr:pulsehr@postgres:5432/pulsehr $HOME me"
    assert compose.interpolate(text, {"POSTGRES_PASSWORD": "s3"}).startswith("postgres://pulsehr:s3@")
    assert compose.interpolate("${A:-x}/${A-y}", {"A": ""}) == "x/"
    with pytest.raises(compose.ComposeError):
        compose.interpolate("${SECRET_KEY:?set it}", {})


def test_compose_environment_is_passed_with_the_bench_database_pinned():
    _, env = compose.served("web", ENV, 8123)
    assert env["DATABASE_URL"] == ENV["DATABASE_URL"]
    assert env["REDIS_URL"] == ENV["REDIS_URL"]


def test_the_floor_reads_the_columns_the_api_returns_with_no_middleware_and_no_pulsehr_apps():
    from bench.floor import settings as floor_settings
    from bench.floor.columns import EMPLOYEE_COLUMNS
    from employees.representations import EMPLOYEE_ROW_FIELDS

    assert EMPLOYEE_COLUMNS == EMPLOYEE_ROW_FIELDS
    assert floor_settings.MIDDLEWARE == []
    assert floor_settings.INSTALLED_APPS == ["bench.floor"]


def test_the_proxy_runs_compose_proxy_command_with_the_checkout_caddyfile_and_local_upstreams():
    argv, env = bench_run.proxy_command(ENV, 8125, web_port=8123, realtime_port=8124)
    proxy = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["proxy"]
    mounted = {volume.split(":")[1]: volume.split(":")[0] for volume in proxy["volumes"] if volume.startswith("./")}
    expected = [str(ROOT / mounted[part].removeprefix("./")) if part in mounted else part for part in proxy["command"]]
    assert program(argv) == expected[0]
    assert argv[1:] == expected[1:]
    assert str(ROOT / "docker" / "Caddyfile") in argv
    assert env["PULSEHR_WEB_UPSTREAM"] == "127.0.0.1:8123"
    assert env["PULSEHR_REALTIME_UPSTREAM"] == "127.0.0.1:8124"
    assert env["PULSEHR_SITE_ADDRESS"] == ":8125"


def sample(rps: float, app_cpu_ms: float, db_cpu_ms: float | None, floor_rps: float | None = None) -> dict:
    return {
        "rps": rps,
        "floor_rps": rps if floor_rps is None else floor_rps,
        "app_cpu_ms": app_cpu_ms,
        "db_cpu_ms": db_cpu_ms,
        "latency_p50_us": 1000,
        "latency_p99_us": 2000,
        "read_errors": 0,
        "remeasured": 0,
        "lopsided": 0,
    }


def test_targets_report_the_cpu_ratio_with_postgresql_beside_the_judged_req_s_ratio(monkeypatch):
    monkeypatch.setattr(bench_run, "TARGETS", {"whos_out_vs_floor": {"ratio": ("whos_out", "floor"), "min": 0.3}})
    samples = {
        "floor": [sample(1000, 2.0, 0.5), sample(800, 2.2, 0.5), sample(900, 2.1, 0.4)],
        "whos_out": [sample(250, 5.0, 1.0, 1000), sample(250, 5.2, 1.2, 800), sample(200, 5.1, 1.1, 900)],
    }
    figures, targets = bench_run.summarize(samples)
    assert figures["whos_out"]["db_cpu_ms_per_request_median"] == 1.1
    target = targets["whos_out_vs_floor"]
    assert target["ratio"] == 0.25  # the median of the per-round ratios 0.25, 0.3125 and 0.222
    assert target["pass"] is False  # the req/s ratio is judged, not the CPU ones
    assert target["app_cpu_ratio"] == pytest.approx(2.1 / 5.1, abs=0.001)
    assert target["app_and_db_cpu_ratio"] == pytest.approx((2.1 + 0.5) / (5.1 + 1.1), abs=0.001)


def test_without_a_local_postgresql_the_cpu_ratio_with_it_is_left_out(monkeypatch):
    monkeypatch.setattr(bench_run, "TARGETS", {"whos_out_vs_floor": {"ratio": ("whos_out", "floor"), "min": 0.3}})
    samples = {"floor": [sample(1000, 2.0, None)], "whos_out": [sample(400, 5.0, None, 1000)]}
    figures, targets = bench_run.summarize(samples)
    assert figures["whos_out"]["db_cpu_ms_per_request_median"] is None
    assert targets["whos_out_vs_floor"]["app_and_db_cpu_ratio"] is None
    assert targets["whos_out_vs_floor"]["pass"] is True


def test_postgresql_cpu_counts_process_by_process_so_an_exit_never_makes_it_negative(monkeypatch):
    # Backend 11 exited during the scenario and backend 13 started: 11's 5 s drop out, 13 counts whole.
    monkeypatch.setattr(bench_run, "postgres_cpu_by_process", lambda: {12: 2.5, 13: 0.25})
    assert bench_run.postgres_cpu_since({11: 5.0, 12: 2.0}) == 0.75
    assert bench_run.postgres_cpu_since(None) is None
    monkeypatch.setattr(bench_run, "postgres_cpu_by_process", lambda: None)
    assert bench_run.postgres_cpu_since({11: 5.0}) is None


def fake_wrk_result(rps: float, seconds: int) -> dict:
    return {
        "requests": int(rps * seconds),
        "duration_us": seconds * 1_000_000,
        "rps": rps,
        "non_2xx_3xx": 0,
        "timeouts": 0,
        "connect_errors": 0,
        "read_errors": 0,
        "latency_p50_us": 1000,
        "latency_p99_us": 2000,
    }


def test_scenarios_are_measured_in_slices_alternating_with_the_floor_and_judged_against_it(monkeypatch):
    """A scenario's ratio is to the floor measured beside it, not to the floor of another moment:
    here the machine is twice as fast while `fast` runs, and the ratios still come out right."""
    calls = []
    speed = {"deep": 1.0, "first": 2.0}  # the machine's speed while each scenario's slices ran
    current = {"speed": 1.0}

    def fake_wrk(wrk, url, headers, seconds, connections, threads=1):
        name = url.rsplit("/", 1)[1]
        if name != "floor":
            current["speed"] = speed[name]
        calls.append((name, seconds))
        rps = {"floor": 1000, "first": 600, "deep": 570}[name] * current["speed"]
        return fake_wrk_result(rps, seconds)

    class FakeServer:
        spent = 0.0

        def workers_cpu_seconds(self):
            self.spent += 0.01
            return {101: self.spent, 102: self.spent}

    monkeypatch.setattr(bench_run, "run_wrk", fake_wrk)
    monkeypatch.setattr(bench_run, "postgres_cpu_by_process", lambda: None)
    server = FakeServer()
    scenarios = {name: (f"http://bench/{name}", {}, server) for name in ("floor", "first", "deep")}
    monkeypatch.setattr(bench_run, "TARGETS", {"deep_vs_first": {"ratio": ("deep", "first"), "min": 0.9}})
    args = argparse.Namespace(rounds=2, duration=6, slices=3, warmup=1, connections=4)
    samples = bench_run.measure("wrk", scenarios, args)

    assert calls[:2] == [("floor", 1), ("first", 1)]  # warm-ups: the floor's once, each scenario's per round
    measured = [name for name, seconds in calls if seconds == 2]
    assert measured[:12] == [
        "floor", "first", "first", "floor", "floor", "first",
        "floor", "deep", "deep", "floor", "floor", "deep",
    ]  # fmt: skip
    assert [sample["floor_rps"] for sample in samples["first"]] == [2000, 2000]
    assert len(samples["floor"]) == 2
    figures, targets = bench_run.summarize(samples)
    assert figures["first"]["ratio_to_floor"] == 0.6
    assert figures["deep"]["ratio_to_floor"] == 0.57
    assert targets["deep_vs_first"]["ratio"] == pytest.approx(0.95)  # not 0.475, as raw req/s would say


class LopsidedServer:
    """Two workers; in the wrk runs listed in `lopsided_runs` (counting from 0) one of them takes
    every connection and the other sits idle, as after gunicorn's accept race."""

    def __init__(self, lopsided_runs: set[int]):
        self.lopsided_runs, self.runs = lopsided_runs, 0
        self.cpu = {101: 0.0, 102: 0.0}

    def workers_cpu_seconds(self) -> dict[int, float]:
        return dict(self.cpu)

    def serve(self) -> float:
        """One wrk run's worth of CPU on the workers; the run's req/s: half when lopsided."""
        lopsided = self.runs in self.lopsided_runs
        self.cpu[101] += 1.0
        self.cpu[102] += 0.01 if lopsided else 1.0
        self.runs += 1
        return 250.0 if lopsided else 500.0


def test_a_slice_in_which_one_worker_sat_idle_is_measured_again(monkeypatch):
    server = LopsidedServer(lopsided_runs={0, 1})
    monkeypatch.setattr(bench_run, "run_wrk", lambda *a, **k: fake_wrk_result(server.serve(), 2))
    monkeypatch.setattr(bench_run, "postgres_cpu_by_process", lambda: None)
    args = argparse.Namespace(connections=4)
    summary = bench_run.measured("wrk", "first", "http://bench/first", {}, server, 2, args)
    assert server.runs == 3 and summary["rps"] == 500.0
    assert summary["remeasured"] == 2 and summary["lopsided"] is False
    assert summary["app_cpu_s"] == pytest.approx(2.0)  # the kept run's CPU, not the discarded ones'


def test_a_slice_still_lopsided_after_the_retries_counts_and_is_reported(monkeypatch):
    server = LopsidedServer(lopsided_runs=set(range(100)))
    monkeypatch.setattr(bench_run, "run_wrk", lambda *a, **k: fake_wrk_result(server.serve(), 2))
    monkeypatch.setattr(bench_run, "postgres_cpu_by_process", lambda: None)
    summary = bench_run.measured("wrk", "first", "http://bench/first", {}, server, 2, argparse.Namespace(connections=4))
    assert server.runs == 1 + bench_run.REMEASURE_LIMIT
    assert summary["lopsided"] is True and summary["rps"] == 250.0
    monkeypatch.setattr(bench_run, "TARGETS", {})
    floor_round = bench_run.combined([summary, summary])
    figures, _ = bench_run.summarize({"floor": [{**floor_round, "floor_rps": floor_round["rps"]}]})
    assert figures["floor"]["slices_remeasured"] == 2 * bench_run.REMEASURE_LIMIT
    assert figures["floor"]["slices_left_lopsided"] == 2


@pytest.mark.parametrize(
    ("cpu_by_worker", "expected"),
    [
        ([1.0, 0.01], True),  # one worker took every connection
        ([1.0, 0.7], False),  # a 3-1 split of four connections: both busy
        ([0.0, 0.0], False),  # nothing served: nothing to judge
        ([1.0], False),  # one worker: nothing to balance
        ([1.0, 1.0, 1.0, 0.05], True),
    ],
)
def test_lopsided_means_a_worker_did_under_a_quarter_of_an_even_share(cpu_by_worker, expected):
    assert bench_run.lopsided(cpu_by_worker) is expected
