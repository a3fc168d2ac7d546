"""Requests per second of the roadmap endpoint against a bare JSON endpoint of the same app on the
same server, measured in one run, and SPARQL query latency through the protocol endpoint.

Starts `pathways serve` on a free loopback port, drives it with httpx from --clients threads (each
with its own keep-alive connection) for --seconds per endpoint, and stops it. Traffic stays on
127.0.0.1 and every loop is bounded in time.

Run: .venv/bin/python benchmarks/serve_bench.py [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

SPARQL = {
    "professions (SELECT, 12 rows)": (
        "SELECT ?p ?label WHERE { ?p a <https://w3id.org/pp-pathways/def#Profession> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    ),
    "progressions by tier (join + path)": (
        "PREFIX pp: <https://w3id.org/pp-pathways/def#> SELECT ?tier (COUNT(?p) AS ?n) WHERE { "
        "?p pp:fromRole/pp:tier/pp:rank ?tier ; pp:toRole ?to . "
        "?to (^pp:fromRole/pp:toRole)* ?end } GROUP BY ?tier"
    ),
    "role-pwp (DESCRIBE)": "DESCRIBE <https://w3id.org/pp-pathways/id/role-pwp>",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hammer(url: str | list[str], seconds: float, clients: int) -> float:
    """Requests per second over ``url`` (or cycling through a list of URLs, one per request)."""
    urls = [url] if isinstance(url, str) else url
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        with httpx.Client(timeout=10) as client:
            position = slot * 7919
            while time.perf_counter() < stop:
                response = client.get(urls[position % len(urls)])
                position += 1
                response.raise_for_status()
                counts[slot] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sparql-runs", type=int, default=50)
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pathways.cli import main; main()",
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        hammer(f"{base}/api/ping", 1.0, args.clients)  # warm up
        bare = hammer(f"{base}/api/ping", args.seconds, args.clients)
        roadmap = hammer(f"{base}/api/roadmap/role-pwp", args.seconds, args.clients)
        # Distinct requests, more of them than the roadmap cache holds (512), so every one is
        # computed: the cost of a roadmap nobody asked for before.
        roles = [
            r["id"]
            for r in httpx.get(f"{base}/api/roles").json()
            if r["tier"]["rank"] < 5 and len(r["professions"]) == 1
        ]
        groups = [
            "",
            "&positive_action=minority-ethnic",
            "&positive_action=women",
            "&positive_action=minority-ethnic&positive_action=women",
        ]
        distinct = [
            f"{base}/api/roadmap/{role}?k={k}{group}"
            for k in (1, 2, 3)
            for group in groups
            for role in roles
        ]
        cold = hammer(distinct, args.seconds, args.clients)
        print(f"bare JSON endpoint /api/ping:            {bare:8.0f} requests/s")
        print(f"roadmap, same request (cached):         {roadmap:8.0f} requests/s")
        print(f"roadmap, {len(distinct)} distinct requests (computed): {cold:8.0f} requests/s")
        print(f"cached roadmap / bare:                   {roadmap / bare:8.2f} (goal >= 0.5)")
        print(f"computed roadmap / bare:                 {cold / bare:8.2f}")
        with httpx.Client(timeout=30) as client:
            for name, query in SPARQL.items():
                times = []
                for _ in range(args.sparql_runs):
                    started = time.perf_counter()
                    client.get(f"{base}/sparql", params={"query": query}).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
                print(f"SPARQL {name:38} p50 {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
