"""/sparql beside the bare endpoint of the same app and beside Oxigraph's own server, in one run.

Starts `pathways serve` (embedded store) and `oxigraph serve` (in memory, loaded with the same
served graph by `pathways push`) on free loopback ports, then measures, with keep-alive
connections:
  1. sequential latency (p50, p95) of the bare endpoint (`/api/ping`: a JSON answer from the
     same app, through the same middleware and thread pool, with no query; `/health`, answered
     on the event loop, for reference), of `ASK {}` and of a 12-row SELECT, on both servers;
  2. throughput with 8 concurrent clients for `/api/ping` and `ASK {}`.
It prints the figures and the ratios the issue sets as goals: ASK p50 <= 1.5x the bare
endpoint, the 12-row SELECT <= 2x, 8-client ASK throughput >= 0.6x the bare endpoint's; Oxigraph's
server is the engine's floor. Traffic stays on 127.0.0.1; every loop is bounded.

Run: .venv/bin/python benchmarks/sparql_speed.py [--requests 400] [--seconds 3]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from service_under_load import free_port, percentile

ASK = "ASK {}"
SELECT = (
    "SELECT ?p ?label WHERE { ?p a <https://w3id.org/pp-pathways/def#Profession> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
)
JSON = "application/sparql-results+json"


def start(command: list[str], probe: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if httpx.get(probe, timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{command[0]} did not start")


def timed(port: int, target: str, count: int) -> list[float]:
    """Milliseconds per request over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", target, headers={"Accept": JSON})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{target[:60]} answered {response.status}")
            times.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return times


def throughput(port: int, target: str, clients: int, seconds: float) -> float:
    """Requests per second answered to ``clients`` concurrent keep-alive clients."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.perf_counter() < stop:
                connection.request("GET", target, headers={"Accept": JSON})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[number] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def query(path: str, text: str) -> str:
    return f"{path}?{urlencode({'query': text})}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="sequential requests per case")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each throughput run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    args = parser.parse_args()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    ours, theirs = free_port(), free_port()
    app = start(
        [
            sys.executable,
            "-c",
            "from pathways.cli import main; main()",
            "serve",
            "--port",
            str(ours),
        ],
        f"http://127.0.0.1:{ours}/health",
    )
    engine = start(
        [oxigraph, "serve", "--bind", f"127.0.0.1:{theirs}"],
        f"http://127.0.0.1:{theirs}/query?query=ASK%7B%7D",
    )
    try:
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from pathways.cli import main; main()",
                "push",
                f"http://127.0.0.1:{theirs}/store",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        cases = {
            "bare endpoint (/api/ping)": (ours, "/api/ping"),
            "/health (event loop only)": (ours, "/health"),
            "/sparql ASK {}": (ours, query("/sparql", ASK)),
            "/sparql 12-row SELECT": (ours, query("/sparql", SELECT)),
            "oxigraph serve ASK {}": (theirs, query("/query", ASK)),
            "oxigraph serve 12-row SELECT": (theirs, query("/query", SELECT)),
        }
        p50 = {}
        for name, (port, target) in cases.items():
            timed(port, target, 30)  # warm up: connections, caches, the workers' first query
            times = timed(port, target, args.requests)
            p50[name] = statistics.median(times)
            print(
                f"{name:30} p50 {p50[name]:6.2f} ms  p95 {percentile(times, 0.95):6.2f} ms  "
                f"(n={len(times)})"
            )
        rates = {
            name: throughput(cases[name][0], cases[name][1], args.clients, args.seconds)
            for name in ("bare endpoint (/api/ping)", "/sparql ASK {}", "oxigraph serve ASK {}")
        }
        for name, rate in rates.items():
            print(f"{name:30} {rate:8.0f} requests/s with {args.clients} clients")
        bare = p50["bare endpoint (/api/ping)"]
        ask, select = p50["/sparql ASK {}"], p50["/sparql 12-row SELECT"]
        ask_rate = rates["/sparql ASK {}"] / rates["bare endpoint (/api/ping)"]
        print("\nratios (goal in brackets)")
        print(f"  ASK p50 / bare p50:              {ask / bare:5.2f}x  (<= 1.5x)")
        print(f"  12-row SELECT p50 / bare p50:    {select / bare:5.2f}x  (<= 2x)")
        print(f"  8-client ASK rate / bare rate:   {ask_rate:5.2f}x  (>= 0.6x)")
        floor_ask, floor_select = p50["oxigraph serve ASK {}"], p50["oxigraph serve 12-row SELECT"]
        floor_rate = rates["/sparql ASK {}"] / rates["oxigraph serve ASK {}"]
        print("  beside oxigraph serve (the engine's floor):")
        print(
            f"    ASK p50 {ask / floor_ask:5.2f}x, SELECT p50 {select / floor_select:5.2f}x, "
            f"8-client ASK rate {floor_rate:5.2f}x"
        )
    finally:
        for process in (app, engine):
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()
