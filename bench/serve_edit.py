#!/usr/bin/env python3
"""Incremental rebuild in `dienhinh serve` for one edited model (bench/run.sh).

    python3 bench/serve_edit.py DIENHINH_BINARY SITE_DIR

Starts `serve` on a free port, listens to its live-reload event stream,
waits until the first search index is built (an editor starts editing on a
ready preview), then edits one model twice, each edit measured from the
moment the file is written: the first reload event naming the model's page,
the page served over HTTP with the new text, and the times serve prints
itself (measured from when its watcher saw the change) for the edited page,
the dependent pages and the search index. The first edit appends a sentence
to the body; the second changes the title, which lists, taxonomy pages,
statistics and open data show (keys `title_*`). The file is restored and
serve stopped afterwards. Prints one JSON object.
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
        if wait_for(lines, re.compile(r"⌕.*"), TIMEOUT) is None:
            result["error"] = "no first search index: " + " | ".join(lines[-5:])
            return result
        time.sleep(0.5)  # let the watcher settle
        marker = f"Câu thêm để đo {time.time_ns()}."
        body_edit = original.rstrip("\n") + "\n\n" + marker + "\n"
        result.update(edit(path, body_edit, slug, marker, base, events, lines))
        title = re.search(r'^title: "?(.*?)"?$', original, re.M)
        if title:
            new_title = f"{title.group(1)} (sửa {time.time_ns() % 1000})"
            title_edit = body_edit.replace(title.group(0), f'title: "{new_title}"', 1)
            measured = edit(path, title_edit, slug, new_title, base, events, lines)
            result.update({f"title_{k}": v for k, v in measured.items()})
        return result
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def edit(path, text, slug, marker, base, events, lines):
    """Writes `text` to `path`; times the reload, the page and serve's own lines."""
    seen = len(lines)
    start = time.perf_counter()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    page = f"mo-hinh/{slug}/"
    out = {
        "reload_event_ms": wait_event(events, page, start),
        "page_served_ms": wait_page(base + page, marker, start),
    }
    said = wait_for(lines, re.compile(r"↻.*"), 30, seen)
    if said:
        out["serve_says"] = said.group(0)
        out.update(parse_serve_line(said.group(0)))
    searched = wait_for(lines, re.compile(r"⌕.*"), TIMEOUT, seen)
    if searched:
        out["serve_search_says"] = searched.group(0)
        out.update(parse_serve_line(searched.group(0)))
    return out


def parse_serve_line(line):
    """serve's own times from its "↻ …" line (English messages)."""
    out = {}
    for key, pattern in [
        ("serve_edited_ms", r"edited page reloaded after (\d+) ms"),
        ("serve_dependents_ms", r"dependent files?(?: updated)? after (\d+) ms"),
        ("serve_search_ms", r"search index: \d+ files? updated after (\d+) ms"),
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


def wait_for(lines, pattern, timeout, seen=0):
    end = time.time() + timeout
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
