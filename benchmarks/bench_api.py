"""API load benchmark: the real server (``corridor serve``) on PostgreSQL, party screening
requests at a fixed rate (open loop: requests are sent on schedule whether or not earlier ones
have answered), latency percentiles and errors.

Target (issue "The service"): 200 party screening requests a second for 60 s with p99 under
50 ms and no errors, on this machine. Baseline in the same run: ``/health`` at the same rate
(the cost of HTTP, authentication aside). Every screening request is audited (one row in the
hash chain per request), as in production.

Then the same screening load again with a flood of failed sign-ins beside it (``--flood``
a second, 280 by default, random user names: each costs a password check until the shared
limits refuse it), and p99 for both (target, issue "The service under abuse": ``/screen`` p99
still under 50 ms).

Run with ``make bench-api`` (starts a PostgreSQL server) or
``python benchmarks/bench_api.py --db postgresql://... [--rate 200] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid

import httpx
from serving import running_server
from sqlalchemy import create_engine, text

from corridor.lists.bundled import bundled_lists
from corridor.service import load_list, users
from corridor.store import open_store
from corridor.store.dialect import normalise_url

UNLISTED = [
    "Aigerim Sadvakasova",
    "Nurlan Abenov",
    "Kostanay Flour Mill TOO",
    "Ivan Petrov",
    "Astana Precision TOO",
    "Dinara Zhaksybekova",
    "Almaty Textile TOO",
    "Olga Smirnova",
]


def _fresh_db(base: str) -> str:
    name = f"corridor_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + "/" + name


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class _Connections:
    """A pool of keep-alive HTTP/1.1 connections with a minimal client: the load generator
    must cost little CPU, since it shares the machine with the server."""

    def __init__(self, host: str, port: int, key: str, size: int) -> None:
        self.host, self.port, self.key, self.size = host, port, key, size
        self.free: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )

    async def open(self) -> None:
        for _ in range(self.size):
            self.free.put_nowait(await asyncio.open_connection(self.host, self.port))

    async def request(self, method: str, path: str, body: bytes | None) -> int:
        reader, writer = await self.free.get()
        try:
            head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            if self.key:
                head += f"Authorization: Bearer {self.key}\r\n"
            if body is not None:
                head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            writer.write(head.encode() + b"\r\n" + (body or b""))
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
            await reader.readexactly(length)
            return int(status_line.split()[1])
        except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
            writer.close()
            reader, writer = await asyncio.open_connection(self.host, self.port)
            return 0
        finally:
            self.free.put_nowait((reader, writer))


async def _load(
    base: str,
    key: str,
    path: str,
    bodies: list[dict[str, object]] | None,
    rate: float,
    seconds: float,
    expected: tuple[int, ...] = (200,),
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    host, port = base.removeprefix("http://").split(":")
    pool = _Connections(host, int(port), key, 64)
    await pool.open()
    encoded = [json.dumps(b).encode() for b in bodies] if bodies is not None else None

    async def one(i: int) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        if encoded is None:
            status = await pool.request("GET", path, None)
        else:
            status = await pool.request("POST", path, encoded[i % len(encoded)])
        if status not in expected:
            errors += 1
        latencies.append((time.perf_counter() - t0) * 1000)

    tasks = []
    start = time.perf_counter()
    total = int(rate * seconds)
    for i in range(total):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def _report(label: str, latencies: list[float], errors: int, elapsed: float) -> dict[str, float]:
    p50, p95, p99 = (_pct(latencies, p) for p in (50, 95, 99))
    rate = len(latencies) / elapsed
    print(
        f"{label:<28} {len(latencies):>7,} {rate:>8.1f} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} "
        f"{max(latencies):>8.1f} {statistics.mean(latencies):>8.1f} {errors:>7}"
    )
    return {
        "requests": len(latencies),
        "rate": rate,
        "p50": p50,
        "p95": p95,
        "p99": p99,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db",
        default=os.environ.get("CORRIDOR_BENCH_PG_URL"),
        help="PostgreSQL server URL (a fresh database is created on it)",
    )
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flood", type=float, default=280.0, help="failed sign-ins a second")
    args = parser.parse_args()
    if not args.db:
        sys.exit("give --db postgresql://... (make bench-api starts a server)")
    url = _fresh_db(args.db)
    store = open_store(url)
    t0 = time.perf_counter()
    for item in bundled_lists():
        load_list(store, item.path, format=item.format, source=item.source)
    users.add_user(store, "load", "a-long-password", "client", "bench")
    key = users.create_api_key(store, "load", "bench", "bench")
    names = [e.caption for e in store.iter_active_entities()][::50]
    store.close()
    print(
        f"store ready in {time.perf_counter() - t0:.0f} s: {url.rsplit('@', 1)[-1]}, "
        f"{len(names):,} listed names sampled"
    )
    rng = random.Random(1)
    bodies: list[dict[str, object]] = []
    for _ in range(2000):
        if rng.random() < 0.5:
            name = rng.choice(names)
            if rng.random() < 0.5:  # a variant: word order or case changed
                name = " ".join(reversed(name.replace(",", "").split())).title()
        else:
            name = rng.choice(UNLISTED)
        bodies.append({"name": name, "limit": 5})
    t0 = time.perf_counter()
    with running_server(url, args.workers) as base:
        # every worker builds its index before it answers: warm them all up
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as c:
            for body in bodies[:200]:
                c.post("/screen", json=body)
        print(f"server up with {args.workers} workers in {time.perf_counter() - t0:.0f} s\n")
        print(
            f"{'endpoint':<28} {'requests':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'max ms':>8} {'mean ms':>8} {'errors':>7}"
        )
        base_lat, base_err, base_el = asyncio.run(
            _load(base, key, "/health", None, args.rate, min(args.seconds, 20))
        )
        _report("GET /health (baseline)", base_lat, base_err, base_el)
        lat, err, elapsed = asyncio.run(
            _load(base, key, "/screen", bodies, args.rate, args.seconds)
        )
        result = _report("POST /screen", lat, err, elapsed)
        logins = [{"username": f"intruder-{i}", "password": f"guess-{i}"} for i in range(5000)]

        async def under_flood() -> tuple[tuple[list[float], int, float], ...]:
            return tuple(
                await asyncio.gather(
                    _load(base, key, "/screen", bodies, args.rate, args.seconds),
                    _load(
                        base,
                        "",
                        "/auth/login",
                        logins,  # type: ignore[arg-type]
                        args.flood,
                        args.seconds,
                        expected=(401, 429),
                    ),
                )
            )

        (lat, err, elapsed), (f_lat, f_err, f_el) = asyncio.run(under_flood())
        flooded = _report("POST /screen, with the flood", lat, err, elapsed)
        _report("POST /auth/login (flood)", f_lat, f_err, f_el)
    ok = result["p99"] < 50 and result["errors"] == 0 and result["rate"] >= 0.97 * args.rate
    print(
        f"\n{args.rate:.0f} req/s for {args.seconds:.0f} s, p99 under 50 ms, no errors: "
        f"{'PASS' if ok else 'FAIL'}"
    )
    ok = flooded["p99"] < 50 and flooded["errors"] == 0
    print(
        f"the same with {args.flood:.0f} failed sign-ins a second beside it, /screen p99 under "
        f"50 ms, no errors: {'PASS' if ok else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
