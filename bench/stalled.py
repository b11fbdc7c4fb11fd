#!/usr/bin/env python3
"""Stalled sheet clients for bench/load.sh: holds N `POST /v1/sheet` requests (a 20,000-row
catalog each) that never read their answer, on a loopback server, for SECONDS; every
4 s each one is closed and opened again, so N stalled streams stay connected although the
server ends a stream whose client has read nothing for 5 s. Prints the server's resident
memory (VmRSS of PID) before, at its highest while they are connected, and 3 s and 10 s
after they have gone. Bounded: N connections, SECONDS, loopback only.
Usage: bench/stalled.py HOST:PORT PID N SECONDS
"""
import json
import socket
import sys
import threading
import time

addr, pid, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
host, port = addr.rsplit(":", 1)
assert host in ("127.0.0.1", "localhost", "::1"), "loopback only"

rows = ["sku,cost,weight_kg,length_cm,width_cm,height_cm"]
rows += [f"SKU-{i:05d},{10 + i % 90}.{i % 100:02d},0.{100 + i % 800:03d},20,15,{5 + i % 20}" for i in range(20000)]
spec = json.load(open("schemas/examples/sheet.json"))["spec"]
body = json.dumps({"spec": spec, "catalog": "\n".join(rows) + "\n"}).encode()
head = (f"POST /v1/sheet HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n").encode()


def rss_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_one():
    s = socket.create_connection((host, int(port)))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.sendall(head + body)
    return s


before = rss_kb()
peak = before
stop = time.time() + seconds
conns = [open_one() for _ in range(n)]
opened = n
while time.time() < stop:
    time.sleep(0.25)
    peak = max(peak, rss_kb())
    if time.time() % 4 < 0.25:
        for s in conns:
            s.close()
        conns = [open_one() for _ in range(n)]
        opened += n
for s in conns:
    s.close()
time.sleep(3)
after = rss_kb()
time.sleep(7)
later = rss_kb()
print(f"stalled sheet clients: {n} held for {seconds:.0f} s ({opened} opened); server RSS "
      f"{before / 1024:.1f} MB before, {peak / 1024:.1f} MB at most, {after / 1024:.1f} MB 3 s "
      f"after, {later / 1024:.1f} MB 10 s after")
