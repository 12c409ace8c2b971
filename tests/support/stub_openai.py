"""A stub OpenAI-compatible HTTP server on 127.0.0.1 for driving the real `openai` client.

Script replies in order (`stub.script(...)`) or answer with a function of the request JSON
(`stub.responder = fn`); every request is logged in `stub.calls`. Faults are replies too:

    stub.script(
        StubReply.rate_limited(retry_after=2),     # 429 with Retry-After
        StubReply.server_error(),                  # 500
        StubReply.hang(5),                         # no answer until past the client timeout
        StubReply.malformed(),                     # 200 with a body that is not JSON
        StubReply.json({"a": 1}, finish_reason="length"),
        StubReply.llama_refuses_json_schema(),     # llama-cpp-python's HTTP 500 to json_schema
        StubReply.json({"answer": 1}),
    )

`StubOpenAI(refuse_json_schema=True)` answers every json_schema request like llama.cpp's
server does, whatever is scripted. Use as a context manager or through the `stub_openai`
pytest fixture (import it into a conftest.py).
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

LLAMA_JSON_SCHEMA_ERROR = (
    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n"
    "  Input should be 'text' or 'json_object' [type=literal_error, input_value='json_schema', "
    "input_type=str]"
)


@dataclass
class StubReply:
    """One scripted HTTP answer."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a hang past the client timeout)

    @classmethod
    def text(
        cls,
        content: str,
        *,
        finish_reason: str = "stop",
        prompt_tokens: int = 10,
        completion_tokens: int = 5,
        model: str = "stub-model",
    ) -> StubReply:
        """A chat completion whose message content is `content`."""
        body = {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": 1700000000,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
        return cls(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    @classmethod
    def json(cls, obj: Any, **kwargs: Any) -> StubReply:
        """A chat completion whose content is `obj` as JSON."""
        return cls.text(json.dumps(obj), **kwargs)

    @classmethod
    def error(
        cls, status: int, message: str, *, code: str | None = None, headers: dict[str, str] | None = None
    ) -> StubReply:
        """An OpenAI-style error body with `status`."""
        body = {"error": {"message": message, "type": "error", "code": code, "param": None}}
        return cls(status, json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def rate_limited(cls, retry_after: float | None = 1, *, code: str | None = None) -> StubReply:
        """HTTP 429, with a Retry-After header (seconds) unless None."""
        headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
        return cls.error(429, "Rate limit reached", code=code, headers=headers)

    @classmethod
    def server_error(cls, status: int = 500) -> StubReply:
        """A 5xx answer."""
        return cls.error(status, "The server had an error while processing your request.")

    @classmethod
    def hang(cls, seconds: float) -> StubReply:
        """Answer only after `seconds` (set the client timeout below it)."""
        reply = cls.json({"late": True})
        reply.delay = seconds
        return reply

    @classmethod
    def malformed(cls) -> StubReply:
        """HTTP 200 whose body is not JSON."""
        return cls(200, b'{"id": "chatcmpl-broken", "choices": [', {"Content-Type": "application/json"})

    @classmethod
    def llama_refuses_json_schema(cls) -> StubReply:
        """What llama-cpp-python's server answers to response_format json_schema."""
        return cls.error(500, LLAMA_JSON_SCHEMA_ERROR)


@dataclass
class RecordedCall:
    """One request the stub received."""

    path: str
    headers: dict[str, str]
    json: Any
    reply_status: int = 0

    @property
    def response_format_type(self) -> str | None:
        """The request's response_format.type, or None."""
        fmt = self.json.get("response_format") if isinstance(self.json, dict) else None
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def user_text(self) -> str:
        """All user message contents joined."""
        messages = self.json.get("messages", []) if isinstance(self.json, dict) else []
        return "\n".join(str(m.get("content")) for m in messages if m.get("role") == "user")


Responder = Callable[[Any], StubReply]


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up (timeouts, cancelled calls) are normal here, not worth a traceback."""

    # The default backlog of 5 drops connections when many calls start at once (the client then
    # waits a TCP retransmit, ~1 s): concurrency tests and benchmarks open dozens.
    request_queue_size = 256

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StubOpenAI:
    """The server; `url` is the base URL to give the client (ends in /v1)."""

    def __init__(self, *, refuse_json_schema: bool = False) -> None:
        self.refuse_json_schema = refuse_json_schema
        self.calls: list[RecordedCall] = []
        self.unexpected: list[str] = []  # requests that found no scripted reply
        self.responder: Responder | None = None
        self._queue: deque[StubReply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="stub-openai", daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL for the openai client."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: StubReply) -> None:
        """Queue replies, answered in order."""
        with self._lock:
            self._queue.extend(replies)

    @property
    def pending(self) -> int:
        """Scripted replies not used yet."""
        with self._lock:
            return len(self._queue)

    def chat_calls(self) -> list[RecordedCall]:
        """The /chat/completions requests received."""
        with self._lock:
            return [c for c in self.calls if c.path.endswith("/chat/completions")]

    def start(self) -> StubOpenAI:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (cuts any hanging reply short)."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> StubOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _next_reply(self, request_json: Any) -> StubReply:
        is_schema = isinstance(request_json, dict) and (
            (request_json.get("response_format") or {}).get("type") == "json_schema"
        )
        if self.refuse_json_schema and is_schema:
            return StubReply.llama_refuses_json_schema()
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            return self.responder(request_json)
        message = "stub has no scripted reply left"
        with self._lock:
            self.unexpected.append(message)
        return StubReply.error(400, message)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; with Nagle's algorithm on, the body
            # waits for the client's delayed ACK (~40 ms per answer on Linux loopback).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence the log
                return

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                body = json.dumps({"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
                self._send(StubReply(200, body.encode(), {"Content-Type": "application/json"}))

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    payload: Any = json.loads(raw or b"null")
                except json.JSONDecodeError:
                    payload = raw.decode("utf-8", "replace")
                call = RecordedCall(self.path, {k.lower(): v for k, v in self.headers.items()}, payload)
                with stub._lock:
                    stub.calls.append(call)
                reply = stub._next_reply(payload)
                call.reply_status = reply.status
                if reply.delay:
                    stub._stopping.wait(reply.delay)  # exact latency; cut short when the stub stops
                self._send(reply)

            def _send(self, reply: StubReply) -> None:
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test): nothing to answer

        return Handler


@pytest.fixture
def stub_openai() -> Iterator[StubOpenAI]:
    """A started StubOpenAI, stopped after the test."""
    with StubOpenAI() as stub:
        yield stub
