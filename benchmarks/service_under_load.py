"""/health latency while the service is loaded, beside its latency when idle, in one run.

Starts `pathways serve` on a free loopback port and measures /health p50/p95:
  1. idle (one client, sequential requests);
  2. under 200 concurrent clients all asking /health, 5 times each on one connection: the
     requests on open connections, and apart the first request of each (it includes opening
     the connection while the 199 others open theirs, in 200 client threads that contend for
     one interpreter lock on the same machine);
  3. while 60 slow SPARQL queries (each runs to its deadline) are sent at once, also reporting
     how many were admitted and how many got 429, and how long the 429s took.
Traffic stays on 127.0.0.1; every loop is bounded in count and time.

Run: .venv/bin/python benchmarks/service_under_load.py [--slow 60] [--clients 200]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlencode

import httpx

# The probes use http.client: an httpx.Client builds an SSL context when it is created (tens of
# milliseconds of CPU under the GIL), which with hundreds of client threads measured the client.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(times: list[float]) -> str:
    return (
        f"p50 {statistics.median(times):7.1f} ms  p95 {percentile(times, 0.95):7.1f} ms  "
        f"(n={len(times)})"
    )


def probe_health(base: str, count: int, pause: float = 0.0) -> list[float]:
    times = []
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request("GET", "/health")
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"/health answered {response.status}")
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(pause)
    finally:
        connection.close()
    return times


def crowd_health(base: str, clients: int, each: int) -> tuple[list[float], list[float]]:
    """``clients`` threads, each opening a connection and asking /health ``each`` times: the
    times of each connection's first request (which waits for the connection to be accepted
    while all the others open theirs) and of the requests on open connections."""
    first: list[float] = []
    later: list[float] = []
    lock = threading.Lock()

    def one() -> None:
        found = probe_health(base, each)
        with lock:
            first.append(found[0])
            later.extend(found[1:])

    threads = [threading.Thread(target=one) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return first, later


def flood(base: str, count: int) -> tuple[Counter[int], list[float]]:
    statuses: Counter[int] = Counter()
    refusals: list[float] = []
    lock = threading.Lock()

    def one() -> None:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        started = time.perf_counter()
        connection.request("GET", "/sparql?" + urlencode({"query": SLOW}))
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        connection.close()
        with lock:
            statuses[response.status] += 1
            if response.status == 429:
                refusals.append(elapsed)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # let them arrive: the probes below run while they are in flight
    flood.health = probe_health(base, 40, pause=0.02)  # type: ignore[attr-defined]
    for thread in threads:
        thread.join()
    return statuses, refusals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slow", type=int, default=60, help="slow SPARQL queries sent at once")
    parser.add_argument("--clients", type=int, default=200, help="concurrent /health clients")
    parser.add_argument("--timeout", type=float, default=3.0, help="PATHWAYS_QUERY_TIMEOUT")
    args = parser.parse_args()
    port = free_port()
    environment = dict(os.environ, PATHWAYS_QUERY_TIMEOUT=str(args.timeout))
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
        env=environment,
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
        idle = probe_health(base, 200)
        opening, crowded = crowd_health(base, args.clients, 5)
        statuses, refusals = flood(base, args.slow)
        under_slow = flood.health  # type: ignore[attr-defined]
        print(f"/health idle:                          {summary(idle)}")
        print(f"/health, {args.clients} concurrent clients:     {summary(crowded)}")
        print(f"  (each client's first request, as all {args.clients} connect: {summary(opening)})")
        print(f"/health, {args.slow} slow queries in flight:   {summary(under_slow)}")
        base_p95 = percentile(idle, 0.95)
        print(
            f"p95 ratios to idle: crowded {percentile(crowded, 0.95) / base_p95:.1f}x, "
            f"slow queries {percentile(under_slow, 0.95) / base_p95:.1f}x "
            "(goal: p95 < 100 ms in both)"
        )
        print(f"slow queries by status: {dict(sorted(statuses.items()))}")
        if refusals:
            print(f"429 answers:                           {summary(refusals)}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
