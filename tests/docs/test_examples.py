"""Every program in examples/ runs against the sandbox and passes ``mypy --strict``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, run_python

EXAMPLES = ROOT / "examples"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _http(method: str, url: str, body: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


@pytest.fixture
def service(sandbox_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "aiohttp_service.py"), "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT), **sandbox_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_notebook_script_prints_calls_by_source(sandbox_env: dict[str, str]) -> None:
    done = run_python([str(EXAMPLES / "notebook.py")], sandbox_env, ROOT)
    assert done.returncode == 0, done.stderr
    assert "busiest day:" in done.stdout and "source" in done.stdout


def test_aiohttp_service_reads_and_tags_calls(service: str) -> None:
    status, calls = _http("GET", f"{service}/calls?days=30")
    assert status == 200 and calls, calls
    call_id = calls[0]["id"]
    body = json.dumps({"tags": ["Example tag"]}).encode()
    status, tagged = _http("POST", f"{service}/calls/{call_id}/tags", body)
    assert status == 200, tagged
    assert tagged["id"] == call_id and "Example tag" in tagged["tags"]
    # Refused before any request reaches CallRail: a body of the wrong shape, a bad id.
    assert _http("POST", f"{service}/calls/{call_id}/tags", b'{"tags": 3}')[0] == 400
    assert _http("POST", f"{service}/calls/CAL%2F..%2Fx/tags", body)[0] == 400


def test_examples_type_check_under_mypy_strict(tmp_path: Path) -> None:
    done = run_python(
        ["-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", str(EXAMPLES)],
        {"MYPYPATH": str(ROOT)},
        tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr


SIGNED_KEY = "072e77e426f92738a72fe23c4d1953b4"
SIGNED_BODY = (ROOT / "tests" / "fixtures" / "webhooks" / "post_call_signed.json").read_bytes()
SIGNED_SIGNATURE = "UZAHbUdfm3GqL7qzilGozGzWV64="


def test_aiohttp_webhook_receiver_accepts_callrails_signed_sample() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "webhook_aiohttp.py"), "--port", str(port)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "CALLRAIL_SIGNING_KEY": SIGNED_KEY},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        for _ in range(200):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/callrail"
        good = urllib.request.Request(url, SIGNED_BODY, {"Signature": SIGNED_SIGNATURE})
        with urllib.request.urlopen(good, timeout=30) as response:
            assert response.status == 200
        forged = urllib.request.Request(url, SIGNED_BODY + b" ", {"Signature": SIGNED_SIGNATURE})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=30)
        assert refused.value.code == 401
        refused.value.close()
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert "post-call" in out  # the worker took the verified event off the queue


async def test_asgi_webhook_receiver(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    monkeypatch.setenv("CALLRAIL_SIGNING_KEY", SIGNED_KEY)
    spec = importlib.util.spec_from_file_location("webhook_asgi", EXAMPLES / "webhook_asgi.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    async def call(body: bytes, signature: str, chunk: int = 1000) -> int:
        pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
        messages = [
            {"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
            for i, p in enumerate(pieces)
        ]
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/callrail",
            "headers": [(b"signature", signature.encode())],
        }
        await module.app(scope, receive, send)
        return int(sent[0]["status"])

    assert await call(SIGNED_BODY, SIGNED_SIGNATURE) == 200
    assert len(module.RECEIVED) == 1 and type(module.RECEIVED[0]).__name__ == "PostCallEvent"
    assert await call(SIGNED_BODY.replace(b"1", b"2", 1), SIGNED_SIGNATURE) == 401
    assert await call(b"x" * (module.MAX_BODY + 1), SIGNED_SIGNATURE, chunk=65536) == 413


def test_sqlite_ingestion_loads_each_call_once_and_is_idempotent(
    sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    import sqlite3

    db = tmp_path / "calls.sqlite"
    args = [str(EXAMPLES / "ingest_sqlite.py"), "--db", str(db), "--days", "120"]
    first = run_python(args, sandbox_env, tmp_path)
    assert first.returncode == 0, first.stderr
    second = run_python(args, sandbox_env, tmp_path)
    assert second.returncode == 0, second.stderr
    from contextlib import closing

    with closing(sqlite3.connect(db)) as connection:
        query = "SELECT COUNT(*), COUNT(DISTINCT id) FROM calls"
        (rows, distinct) = connection.execute(query).fetchone()
    # The CLI sandbox serves 600 calls over 90 days: every one, once, after two runs.
    assert rows == distinct == 600
    assert first.stdout == second.stdout
