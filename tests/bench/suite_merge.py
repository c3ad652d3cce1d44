#!/usr/bin/env python3
"""make bench-suite: the cost of the suite-wide merge (issue 16).

Writes PROCS process logs (default 1,000) of about TOTAL_MB in all (default
100) into a scratch directory, in the shim's format with the suite-wide
fields (tests/cli/suite_logs.py describes them), then times

    lockcheck report --no-symbolize DIR

and prints its wall time and peak RSS (getrusage of the child) as one
statement. The logs are a realistic suite: a few test executables of one
project sharing a library, each process running a random part of its
program's lock order (deep stacks on every edge, a few contexts per edge,
thread pools), and one AB-BA whose halves only two different processes
make, so the merge has a cycle to find and judge. A benchmark, not a test:
it fails only when lockcheck fails or does not report the planted cycle.

usage: suite_merge.py [LOCKCHECK] [--procs N] [--total-mb MB] [--keep DIR]
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time

EXES = [("/opt/proj/bin/test_%s" % n, "%032x" % (0xE0 + i))
        for i, n in enumerate(["server", "cache", "queue", "store", "net"])]
LIB = ("/opt/proj/lib/libproj.so", "%032x" % 0x11B)
CLASSES = 400          # lock classes per executable (a quarter in the lib)
FUNCS = ["handle_request", "cache_lookup", "queue_push", "store_put",
         "net_poll", "session_open", "txn_commit", "log_append",
         "stats_bump", "conn_close", "worker_loop", "dispatch"]


def frame(module, off, fn):
    return {"pc": "0x%x" % (0x55d0c0a00000 + off), "module": module,
            "offset": "0x%x" % off, "function": fn}


def stack(rng, module, depth):
    return [frame(module if k < depth - 2 else "/lib/x86_64-linux-gnu/libc.so.6",
                  rng.randrange(0x1000, 0x90000), rng.choice(FUNCS))
            for k in range(depth)]


def process(pid, exe_i, rng, n_edges):
    exe, bid = EXES[exe_i]
    modules = [{"module": 0, "path": exe, "build_id": bid, "main": True},
               {"module": 1, "path": LIB[0], "build_id": LIB[1],
                "main": False}]
    roles = [{"role": 0, "kind": "main", "max_live": 1, "threads": 1}]
    for r in range(1, 6):
        roles.append({"role": r, "kind": "thread",
                      "routine": frame(exe, 0x4000 + 0x40 * r, "worker_%d" % r),
                      "site": frame(exe, 0x5000 + 0x10 * r, "start_pool"),
                      "max_live": 4 if r == 5 else 1, "threads": 4,
                      "name": "w%d" % r})
    # A consistent order: class i before class j when i < j (per exe).
    used = sorted(rng.sample(range(CLASSES), 60))
    classes, locks, cls_of = [], [], {}
    for k, c in enumerate(used):
        lib = c < CLASSES // 4
        ident = ("lib_lock_%d" % c) if lib else ("@make_obj_%d+0x1b" % c)
        fp = ("lib:" if lib else "created:test:") + "%d" % c
        cls_of[c] = k
        classes.append({"class": k, "identity": ident, "fingerprint": fp,
                        "module": 1 if lib else 0, "many": c % 7 == 0})
        locks.append({"id": k + 1, "address": "0x%x" % (0x7f0000 + 64 * k),
                      "type": "rwlock" if c % 11 == 0 else "mutex",
                      "name": ident if lib else None, "identity": ident,
                      "created": [frame(modules[1 if lib else 0]["path"],
                                        0x2000 + c, "make_obj")],
                      "class": k})
    edges = []
    for _ in range(n_edges):
        a, b = sorted(rng.sample(used, 2))
        ctxs = []
        for _ in range(rng.randint(1, 3)):
            held = sorted({cls_of[a]} | {cls_of[x] for x in used
                                         if x < a and rng.random() < 0.03})
            ctxs.append({"role": rng.randrange(6), "held_shared": False,
                         "shared": False, "held": held})
        edges.append({"from": cls_of[a] + 1, "to": cls_of[b] + 1,
                      "count": len(ctxs), "thread": rng.randint(1, 8),
                      "stack": stack(rng, exe, rng.randint(10, 16)),
                      "held_stack": stack(rng, exe, rng.randint(10, 16)),
                      "contexts": ctxs})
    return {"event": "graph", "pid": pid, "locks": locks, "edges": edges,
            "classes": classes, "roles": roles, "modules": modules}


def planted(pid, half):
    """One half of an AB-BA between two roles of test_server."""
    exe, bid = EXES[0]
    a, b = ("planted_a", "planted_b") if half == 0 else ("planted_b",
                                                          "planted_a")
    return {"event": "graph", "pid": pid,
            "locks": [{"id": 1, "address": "0x9000", "type": "mutex",
                       "name": a, "identity": a, "class": 0},
                      {"id": 2, "address": "0x9040", "type": "mutex",
                       "name": b, "identity": b, "class": 1}],
            "edges": [{"from": 1, "to": 2, "count": 1, "thread": 2,
                       "stack": [frame(exe, 0x6000 + half, "take")],
                       "held_stack": [frame(exe, 0x6100 + half, "take")],
                       "contexts": [{"role": 1, "held": [0]}]}],
            "classes": [{"class": 0, "identity": a, "fingerprint": a,
                         "module": 0},
                        {"class": 1, "identity": b, "fingerprint": b,
                         "module": 0}],
            "roles": [{"role": 1, "kind": "thread",
                       "routine": frame(exe, 0x7000 + 0x40 * half,
                                        "planted_%d" % half),
                       "site": frame(exe, 0x7100, "start"), "max_live": 1}],
            "modules": [{"module": 0, "path": exe, "build_id": bid,
                         "main": True}]}


def write_logs(d, procs, total_mb, seed=16):
    rng = random.Random(seed)
    # About 2.6 kB per edge with its two stacks: size the graphs to fit.
    per_proc = total_mb * 1e6 / procs
    n_edges = max(1, int(per_proc / 3500))
    total = 0
    for i in range(procs):
        pid = 100000 + i
        exe_i = i % len(EXES)
        lines = [{"event": "start", "version": 1, "pid": pid, "ppid": 1,
                  "exe": EXES[exe_i][0],
                  "argv": ["./" + os.path.basename(EXES[exe_i][0]),
                           "--case", str(i)]},
                 process(pid, exe_i, rng, n_edges)]
        if i < 2:
            lines.append(planted(pid, i))
        lines.append({"event": "end", "pid": pid, "status": 0,
                      "findings": 0})
        path = os.path.join(d, "lockcheck.%d.jsonl" % pid)
        with open(path, "w") as f:
            for line in lines:
                f.write(json.dumps(line, separators=(",", ":")) + "\n")
        total += os.path.getsize(path)
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lockcheck", nargs="?", default="tools/lockcheck")
    ap.add_argument("--procs", type=int, default=1000)
    ap.add_argument("--total-mb", type=float, default=100)
    ap.add_argument("--keep", help="write the logs here and keep them")
    a = ap.parse_args()
    d = a.keep or tempfile.mkdtemp(prefix="lc-suite-bench.")
    os.makedirs(d, exist_ok=True)
    try:
        t0 = time.time()
        size = write_logs(d, a.procs, a.total_mb)
        gen = time.time() - t0
        t0 = time.time()
        r = subprocess.run([a.lockcheck, "report", "--no-symbolize",
                            "--color", "never", d],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        wall = time.time() - t0
        rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if r.returncode != 0 or "planted_a => planted_b" not in r.stdout:
            sys.stdout.write(r.stdout[-2000:] + r.stderr[-2000:])
            print("suite merge: FAILED (exit %d, planted cycle %s)" %
                  (r.returncode, "found" if "planted_a" in r.stdout
                   else "missing"))
            return 1
        print("suite merge: lockcheck report read %d process logs of "
              "%.1f MB in all (written in %.1f s) in %.2f s wall time, "
              "peak RSS %.1f MB; %s" %
              (a.procs, size / 1e6, gen, wall, rss_kb / 1024.0,
               r.stdout.strip().splitlines()[-1]))
        return 0
    finally:
        if not a.keep:
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
