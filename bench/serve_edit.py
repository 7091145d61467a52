#!/usr/bin/env python3
"""Incremental rebuild in `dienhinh serve` for one edited model (bench/run.sh).

    python3 bench/serve_edit.py DIENHINH_BINARY SITE_DIR

Starts `serve` on a free port, listens to its live-reload event stream,
appends a sentence to one model file and measures, from the moment the file
is written: the first reload event naming the model's page, and the page
served over HTTP with the new sentence. Also reports the times serve prints
itself (measured from when its watcher saw the change). The file is restored
and serve stopped afterwards. Prints one JSON object.
"""

import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request

TIMEOUT = 120


def main():
    binary, site = sys.argv[1], sys.argv[2]
    models = os.path.join(site, "content", "mo-hinh")
    name = pick_model(models)
    path = os.path.join(models, name)
    slug = slug_of(path, name[:-3])
    proc = subprocess.Popen(
        [binary, "--lang", "en", "-C", site, "serve", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True)
    reader.start()
    original = open(path, encoding="utf-8").read()
    result = {"model": name}
    try:
        url = wait_for(lines, re.compile(r"(http://[0-9.:]+/)"), TIMEOUT)
        if url is None:
            result["error"] = "serve did not start: " + " | ".join(lines[-5:])
            return result
        base = url.group(1)
        events = open_events(base)
        time.sleep(0.5)  # let the watcher settle after the first build
        marker = f"Câu thêm để đo {time.time_ns()}."
        start = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original.rstrip("\n") + "\n\n" + marker + "\n")
        page = f"mo-hinh/{slug}/"
        result["reload_event_ms"] = wait_event(events, page, start)
        result["page_served_ms"] = wait_page(base + page, marker, start)
        said = wait_for(lines, re.compile(r"↻.*"), 30)
        if said:
            line = said.group(0)
            result["serve_says"] = line
            result.update(parse_serve_line(line))
        return result
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def parse_serve_line(line):
    """serve's own times from its "↻ …" line (English messages)."""
    out = {}
    for key, pattern in [
        ("serve_edited_ms", r"edited page reloaded after (\d+) ms"),
        ("serve_dependents_ms", r"dependent files?(?: updated)? after (\d+) ms"),
        ("serve_search_ms", r"search index files? after (\d+) ms"),
    ]:
        m = re.search(pattern, line)
        if m:
            out[key] = int(m.group(1))
    return out


def pick_model(folder):
    """A published model in NFC with a fair amount of text."""
    for name in sorted(os.listdir(folder)):
        text = open(os.path.join(folder, name), encoding="utf-8").read()
        if "draft: true" not in text and "recognitions:" in text and unicodedata.is_normalized("NFC", text):
            return name
    raise SystemExit("no model to edit")


def slug_of(path, stem):
    """`slug:` from the front matter, else the file stem."""
    lines = open(path, encoding="utf-8").read().split("\n")
    for line in lines[1:]:
        if line == "---":
            break
        if line.startswith("slug: "):
            return line[6:].strip()
    return stem


def wait_for(lines, pattern, timeout):
    end = time.time() + timeout
    seen = 0
    while time.time() < end:
        while seen < len(lines):
            m = pattern.search(lines[seen])
            seen += 1
            if m:
                return m
        time.sleep(0.02)
    return None


def open_events(base):
    host, port = base[len("http://"):].rstrip("/").split(":")
    s = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    s.sendall(f"GET /__dienhinh/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    return s


def wait_event(sock, page, start):
    buf = b""
    end = time.time() + TIMEOUT
    while time.time() < end:
        ready, _, _ = select.select([sock], [], [], 0.5)
        if not ready:
            continue
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
        for block in buf.decode("utf-8", "replace").split("\n\n"):
            if "event: reload" in block and (page in block or '"*"' in block):
                return round((time.perf_counter() - start) * 1000, 1)
    return None


def wait_page(url, marker, start):
    end = time.time() + TIMEOUT
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if marker in r.read().decode("utf-8", "replace"):
                    return round((time.perf_counter() - start) * 1000, 1)
        except OSError:
            pass
        time.sleep(0.005)
    return None


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
