#!/usr/bin/env python3
"""Writes the hand-specified process logs of tests/cli/suite_cycles.sh.

Each scenario is a directory of PREFIX.<pid>.jsonl files, one process each,
in the format the shim writes for suite-wide cycles (README.md, "Report
format": the graph event's classes, roles, modules, each lock's "class" and
each edge's "contexts"). The processes are written out here by name (locks,
thread roles, edges with the role that made them and what it held) rather
than as raw JSON, so that each scenario reads as its lock pattern; the
JSON is produced the same way for all, and `lockcheck report` never sees
this script.

usage: suite_logs.py DIR   (makes DIR/<scenario>/ for every scenario)
"""
import json
import os
import sys

FNV_START = 0xCBF29CE484222325


def fnv(h, s):
    for ch in s.encode():
        h = ((h ^ ch) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def cycle_id(fingerprints):
    """The id a process (lib/detect_order.c) gives the cycle fps[0] ->
    fps[1] -> ... -> fps[0]."""
    n = len(fingerprints)
    start = min(range(n), key=lambda i: fingerprints[i])
    h = fnv(FNV_START, "lock-order-inversion")
    for k in range(n):
        h = fnv(fnv(h, "\n"), fingerprints[(start + k) % n])
    return "lc1-%016x" % h


def frame(module, offset, function):
    return {"pc": "0x%x" % (0x555500000000 + offset), "module": module,
            "offset": "0x%x" % offset, "function": function}


class Proc:
    """One process: exe (path, build-id), argv, locks, roles, edges."""

    def __init__(self, pid, exe="/opt/app/bin/server", build_id="aa11",
                 argv=None):
        self.pid = pid
        self.exe = exe
        self.argv = argv or ["./" + os.path.basename(exe)]
        self.modules = [{"module": 0, "path": exe, "build_id": build_id,
                         "main": True}]
        self.classes = []   # name -> class record
        self.locks = []
        self.roles = [{"role": 0, "kind": "main", "max_live": 1,
                       "threads": 1}]
        self.role_ids = {"main": 0}
        self.edges = []
        self.findings = []

    def module(self, path, build_id):
        self.modules.append({"module": len(self.modules), "path": path,
                             "build_id": build_id, "main": False})
        return len(self.modules) - 1

    def lock(self, name, many=False, module=0, type_="mutex",
             fingerprint=None):
        c = len(self.classes)
        self.classes.append({"class": c, "identity": name,
                             "fingerprint": fingerprint or name,
                             "module": module, "many": many})
        path = self.modules[module]["path"]
        self.locks.append({
            "id": c + 1, "address": "0x%x" % (0x7000 + 64 * c),
            "type": type_, "name": None if many else name,
            "identity": name,
            "created": [frame(path, 0x1100 + c, "init_locks")],
            "class": c})

    def role(self, name, routine, site="start_workers", max_live=1):
        r = len(self.roles)
        self.roles.append({
            "role": r, "kind": "thread",
            "routine": frame(self.exe, 0x2000 + 16 * r, routine),
            "site": frame(self.exe, 0x3000, site), "max_live": max_live,
            "threads": max_live, "name": name})
        self.role_ids[name] = r

    def cls(self, name):
        for c in self.classes:
            if c["identity"] == name:
                return c["class"]
        raise KeyError(name)

    def edge(self, a, b, role="main", held=(), rd_held=False, rd=False,
             thread=None):
        """b taken while holding a (and `held`), by `role`."""
        hs = sorted({self.cls(a)} | {self.cls(h) for h in held})
        fn = "take_%s_then_%s" % (a, b)
        self.edges.append({
            "from": self.cls(a) + 1, "to": self.cls(b) + 1, "count": 1,
            "thread": thread or self.role_ids[role] + 1,
            "stack": [frame(self.exe, 0x1400 + 8 * len(self.edges), fn)],
            "held_stack": [frame(self.exe, 0x1300 + 8 * len(self.edges),
                                 fn)],
            "contexts": [{"role": self.role_ids[role], "held_shared": rd_held,
                          "shared": rd, "held": hs}]})

    def lines(self):
        yield {"event": "start", "version": 1, "pid": self.pid, "ppid": 1,
               "exe": self.exe, "argv": self.argv}
        for f in self.findings:
            yield f
        yield {"event": "graph", "pid": self.pid, "locks": self.locks,
               "edges": self.edges, "classes": self.classes,
               "roles": self.roles, "modules": self.modules}
        yield {"event": "end", "pid": self.pid, "status": 0,
               "findings": len(self.findings)}

    def write(self, d):
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "lockcheck.%d.jsonl" % self.pid), "w") as f:
            for line in self.lines():
                f.write(json.dumps(line, separators=(",", ":")) + "\n")


def server(pid, role, argv=None, **kw):
    """The server of the ABBA scenarios: lock_a, lock_b, a gate, and two
    thread roles (worker_a, worker_b)."""
    p = Proc(pid, argv=argv or ["./server", "--role", role], **kw)
    p.lock("lock_a")
    p.lock("lock_b")
    p.lock("gate")
    p.role("worker-a", "worker_a")
    p.role("worker-b", "worker_b")
    return p


def scenarios(root):
    def at(name):
        return os.path.join(root, name)

    # Two roles of one executable, one half each, in two processes.
    p = server(501, "a")
    p.edge("lock_a", "lock_b", role="worker-a")
    p.write(at("abba"))
    p = server(502, "b")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("abba"))

    # The same halves made by the main thread of two processes.
    p = server(511, "a")
    p.edge("lock_a", "lock_b")
    p.write(at("main_main"))
    p = server(512, "b")
    p.edge("lock_b", "lock_a")
    p.write(at("main_main"))

    # The gate held on both sides.
    p = server(521, "a")
    p.edge("gate", "lock_a", role="worker-a")
    p.edge("lock_a", "lock_b", role="worker-a", held=["gate"])
    p.write(at("guarded"))
    p = server(522, "b")
    p.edge("gate", "lock_b", role="worker-b")
    p.edge("lock_b", "lock_a", role="worker-b", held=["gate"])
    p.write(at("guarded"))

    # Per-object locks: lock_b's class has many instances in one process.
    p = server(531, "a")
    p.classes[1]["many"] = True
    p.edge("lock_a", "lock_b", role="worker-a")
    p.write(at("many"))
    p = server(532, "b")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("many"))

    # Two unrelated executables (different build-ids), same lock names.
    p = server(541, "a", build_id="aa11")
    p.edge("lock_a", "lock_b", role="worker-a")
    p.write(at("unrelated"))
    p = Proc(542, exe="/opt/other/bin/tool", build_id="bb22",
             argv=["./tool"])
    p.lock("lock_a")
    p.lock("lock_b")
    p.role("worker-b", "worker_b")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("unrelated"))

    # Shards: the ABBA halves in two directories (CI shards).
    p = server(551, "a")
    p.edge("lock_a", "lock_b", role="worker-a")
    p.write(at("shard1"))
    p = server(552, "b")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("shard2"))

    # A choice one process already made whole: main did A -> B and a
    # thread B -> A in one process, which judged it (ordered) itself; a
    # second identical process. No suite finding.
    for pid in (561, 562):
        p = server(pid, "both")
        p.edge("lock_a", "lock_b")
        p.edge("lock_b", "lock_a", role="worker-b")
        p.findings.append({
            "event": "finding", "kind": "lock-order-inversion",
            "severity": "warning", "id": cycle_id(["lock_a", "lock_b"]),
            "message": "cycle of 2 locks: lock_a => lock_b => lock_a",
            "pid": pid, "verdict": "ordered",
            "locks": [{"id": 1, "address": "0x7000", "type": "mutex",
                       "name": "lock_a", "identity": "lock_a",
                       "created": []},
                      {"id": 2, "address": "0x7040", "type": "mutex",
                       "name": "lock_b", "identity": "lock_b",
                       "created": []}],
            "threads": [{"id": 1, "name": None}, {"id": 3, "name": None}],
            "cycle": [1, 2],
            "edges": [{"from": 1, "to": 2, "thread": 1, "held_stack": [],
                       "stack": []},
                      {"from": 2, "to": 1, "thread": 3, "held_stack": [],
                       "stack": []}]})
        p.write(at("one_process"))

    # Supersession: 591 made both halves with one thread role and judged
    # the cycle single-thread itself; 592 made B -> A with another role.
    # The suite verdict (deadlock-possible) is closer to a deadlock, so the
    # suite finding is shown in place of 591's, once.
    p = server(591, "a")
    p.edge("lock_a", "lock_b", role="worker-a")
    p.edge("lock_b", "lock_a", role="worker-a")
    p.findings.append({
        "event": "finding", "kind": "lock-order-inversion",
        "severity": "warning", "id": cycle_id(["lock_a", "lock_b"]),
        "message": "cycle of 2 locks: lock_a => lock_b => lock_a",
        "pid": 591, "verdict": "single-thread",
        "locks": [{"id": 1, "address": "0x7000", "type": "mutex",
                   "name": "lock_a", "identity": "lock_a", "created": []},
                  {"id": 2, "address": "0x7040", "type": "mutex",
                   "name": "lock_b", "identity": "lock_b", "created": []}],
        "threads": [{"id": 2, "name": None}], "cycle": [1, 2],
        "edges": [{"from": 1, "to": 2, "thread": 2, "held_stack": [],
                   "stack": []},
                  {"from": 2, "to": 1, "thread": 2, "held_stack": [],
                   "stack": []}]})
    p.write(at("supersede"))
    p = server(592, "b")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("supersede"))

    # A lock of a shared library (same build-id) in two executables.
    p = Proc(571, exe="/opt/app/bin/server", build_id="aa11")
    m = p.module("/opt/app/lib/libq.so", "cc33")
    p.lock("q_lock", module=m)
    p.lock("q_stats", module=m)
    p.role("worker-a", "worker_a")
    p.edge("q_lock", "q_stats", role="worker-a")
    p.write(at("library"))
    p = Proc(572, exe="/opt/app/bin/client", build_id="dd44",
             argv=["./client"])
    m = p.module("/usr/lib/libq.so", "cc33")
    p.lock("q_lock", module=m)
    p.lock("q_stats", module=m)
    p.role("worker-a", "worker_a")
    p.edge("q_stats", "q_lock", role="worker-a")
    p.write(at("library"))

    # Malformed new fields: a context naming a role that is not listed,
    # and a class without its fingerprint; the processes are still read.
    p = server(581, "a")
    p.edge("lock_a", "lock_b", role="worker-a")
    p.edges[0]["contexts"][0]["role"] = 9
    p.write(at("malformed"))
    p = server(582, "b")
    p.edge("lock_b", "lock_a", role="worker-b")
    del p.classes[0]["fingerprint"]
    p.write(at("malformed"))
    p = server(583, "c")
    p.edge("lock_b", "lock_a", role="worker-b")
    p.write(at("malformed"))

    return {"abba_id": cycle_id(["lock_a", "lock_b"])}


if __name__ == "__main__":
    info = scenarios(sys.argv[1])
    print(info["abba_id"])
