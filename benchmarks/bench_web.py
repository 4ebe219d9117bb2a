"""Load benchmark of the web app (issue 13): concurrent users browsing a large firm.

    .venv/bin/python benchmarks/bench_web.py [--clients 100000] [--lines 1000000]
        [--users 50] [--seconds 60] [--write]

Writes the demo export (cached in benchmarks/data/), starts ``cartera serve`` in its
own process on 127.0.0.1, imports the files through the API, then runs ``--users``
logged-in browsers (httpx, asyncio) that each loop over the dashboard, a clients
page (random sort, page, sometimes a search), a client page and a what-if update
(HTMX, two ticked clients, a fixed-costs value) for ``--seconds``. Records each
request's latency and status; prints (and with ``--write`` saves) the table to
benchmarks/results/web.md. Bounded: the duration and the number of users are fixed,
and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "web.md"
PASSWORD = "benchmark password"
PAGES = ("dashboard", "clients", "client", "whatif")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_files(clients: int, lines: int) -> Path:
    from cartera.demo import write_demo

    folder = HERE / "data" / f"web-{clients}-{lines}"
    if not (folder / "facturas.csv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_demo(folder, clients=clients, lines=lines, seed=7)
    return folder


def prepare_store(data: Path) -> str:
    """A firm with an analyst; returns the analyst's API token."""
    from cartera.store import open_store, people
    from cartera.store.engine import database_url
    from cartera.store.sessions import create_api_token

    store = open_store(database_url(data, env={}))
    with store.session() as s:
        firm = people.create_firm(s, "Bench", slug="bench")
        user = people.create_user(s, "bench@example.es", PASSWORD)
        people.add_member(s, user, firm, "analyst")
        token, _row = create_api_token(s, user, "bench")
        s.commit()
    store.dispose()
    return token


def start_server(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "CARTERA_DATABASE_URL"}
    code = "from cartera.cli.app import main; main()"
    args = [sys.executable, "-c", code, "serve", "--data", str(data), "--port", str(port)]
    proc = subprocess.Popen(args, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start")


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """The process' peak (``VmHWM``) or current (``VmRSS``) resident memory in MB."""
    text = Path(f"/proc/{pid}/status").read_text()
    found = re.search(field + r":\s+(\d+) kB", text)
    return int(found.group(1)) / 1024 if found else float("nan")


def reset_peak(pid: int) -> None:
    """Start the process' peak resident memory (``VmHWM``) again from its current size."""
    with contextlib.suppress(OSError):  # not allowed: the peaks then count from the start
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def log_in(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=60)
    r = await client.post("/login", data={"email": "bench@example.es", "password": PASSWORD})
    assert r.status_code in (200, 303), r.status_code
    return client


async def browse(client: httpx.AsyncClient, ids: list[str], until: float, seed: int,
                 out: list[tuple[str, float, int]]) -> None:  # fmt: skip
    rng = random.Random(seed)
    try:
        while time.monotonic() < until:
            page = rng.choice(PAGES)
            if page == "dashboard":
                url, headers = "/f/bench/", {}
            elif page == "clients":
                sort = rng.choice(["rank", "revenue", "net_contribution", "days_to_pay", "name"])
                q = rng.choice(["", "", "", "logistica", "sa"])
                url = f"/f/bench/clients?sort={sort}&desc=true&page={rng.randint(1, 50)}&q={q}"
                headers = {"HX-Request": "true"}
            elif page == "client":
                url, headers = f"/f/bench/clients/{rng.choice(ids)}", {}
            else:
                a, b = rng.sample(ids[:30], 2)
                fixed = rng.randrange(0, 2_000_000, 1000)
                url = f"/f/bench/whatif?lose={a}&lose={b}&fixed_costs={fixed}"
                headers = {"HX-Request": "true"}
            t0 = time.perf_counter()
            try:
                status = (await client.get(url, headers=headers)).status_code
            except httpx.HTTPError:
                status = 599
            out.append((page, time.perf_counter() - t0, status))
    finally:
        await client.aclose()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    files = demo_files(args.clients, args.lines)
    data = Path(tempfile.mkdtemp(prefix="cartera-bench-web-"))
    token = prepare_store(data)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(data, port)
    try:
        auth = {"Authorization": f"Bearer {token}"}
        uploads = [("files", (p.name, p.read_bytes())) for p in sorted(files.glob("*.csv"))]
        t0 = time.perf_counter()
        r = httpx.post(f"{base}/api/v1/firms/bench/imports", files=uploads, headers=auth,
                       timeout=900)  # fmt: skip
        r.raise_for_status()
        import_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        page = httpx.get(f"{base}/api/v1/firms/bench/clients?per_page=500&sort=revenue&desc=true",
                         headers=auth, timeout=900).json()  # fmt: skip
        cold_s = time.perf_counter() - t0
        ids = [c["id"] for c in page["clients"]]
        with httpx.Client(base_url=base, timeout=600) as warm:
            warm.post("/login", data={"email": "bench@example.es", "password": PASSWORD})
            t0 = time.perf_counter()
            warm.get("/f/bench/").raise_for_status()
            dashboard_cold_s = time.perf_counter() - t0
        setup_rss, setup_peak = rss_mb(server.pid, "VmRSS"), rss_mb(server.pid)
        reset_peak(server.pid)
        load_start = os.getloadavg()[0]
        out: list[tuple[str, float, int]] = []
        marks: dict[str, float] = {}

        async def run_all() -> None:
            t0 = time.perf_counter()
            clients = await asyncio.gather(*(log_in(base) for _i in range(args.users)))
            marks["login_s"] = time.perf_counter() - t0
            marks["login_peak"] = rss_mb(server.pid)
            reset_peak(server.pid)
            marks["cpu"] = cpu_s(server.pid)
            until = time.monotonic() + args.seconds
            marks["started"] = time.monotonic()
            await asyncio.gather(*(browse(c, ids, until, i, out) for i, c in enumerate(clients)))

        asyncio.run(run_all())
        started = marks["started"]
        cpu_start = marks["cpu"]
        elapsed = time.monotonic() - started
        server_cpu = cpu_s(server.pid) - cpu_start
        peak, end_rss = rss_mb(server.pid), rss_mb(server.pid, "VmRSS")
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # still answering queued requests
            server.kill()
            server.wait()
    rows = []
    for name in PAGES:
        lat = [t for p, t, _s in out if p == name]
        errors = sum(1 for p, _t, s in out if p == name and s >= 400)
        rows.append(f"| {name} | {len(lat):,} | {pct(lat, 0.5):.0f} | {pct(lat, 0.95):.0f} | "
                    f"{pct(lat, 0.99):.0f} | {max(lat) * 1000:.0f} | {errors} |")  # fmt: skip
    total_errors = sum(1 for _p, _t, s in out if s >= 400)
    cmd = " ".join(["benchmarks/bench_web.py", *sys.argv[1:]])
    load = os.getloadavg()[0]
    text = f"""# Web app load benchmark

Command: `.venv/bin/python {cmd}`

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()};
1-minute load average {load_start:.1f} when the users started, {load:.1f} at the end (the
machine is shared). One `cartera serve` process (uvicorn, one worker) on 127.0.0.1;
{args.users} logged-in users (httpx, asyncio, in another process) each looping over the
four pages for {args.seconds:.0f} s; a firm of {args.clients:,} clients and
{args.lines:,} invoice lines imported through the API.

Setup: import through the API {import_s:.1f} s; first analysis (cold cache) {cold_s:.1f} s;
first dashboard (builds its view) {dashboard_cold_s:.2f} s.

Server memory: {setup_rss:,.0f} MB resident after the setup (peak {setup_peak:,.0f} MB, during
the import); peak {marks["login_peak"]:,.0f} MB while the {args.users} users logged in at once
({marks["login_s"]:.1f} s); peak {peak:,.0f} MB while they browsed, {end_rss:,.0f} MB at the end.
Server CPU during the load: {server_cpu:.1f} s, {server_cpu * 1000 / max(1, len(out)):.1f} ms
per request on average over all pages.

| page | requests | p50 ms | p95 ms | p99 ms | max ms | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
{chr(10).join(rows)}

{len(out):,} requests in {elapsed:.0f} s ({len(out) / elapsed:.0f}/s), {total_errors} errors.
Latency is measured by the client, so it includes the time a request waits for the
server while the other users' requests run (one process, two shared cores).
"""
    print(text)
    if args.write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
