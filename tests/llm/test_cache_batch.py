"""The SQLite cache (keys, migrations, damage) and the Batch API round trip through files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from coursegen.cli import main
from coursegen.errors import InputError
from coursegen.llm.batch import BatchWriter, import_batch_output
from coursegen.llm.cache import MIGRATIONS, CacheError, ResponseCache, cache_key
from coursegen.llm.client import LLMClient
from coursegen.llm.types import BatchPending, ChatRequest, Mode
from tests.llm.conftest import GOOD, ClientFactory, Topic
from tests.support.stub_openai import StubOpenAI


def request(**changes: object) -> ChatRequest:
    fields: dict[str, object] = {
        "model": "m",
        "messages": (("user", "hi"),),
        "mode": Mode.JSON_SCHEMA,
        "schema_name": "T",
        "schema": {"type": "object"},
        "temperature": 0.0,
        "max_tokens": 10,
        "prompt_name": "p",
        "prompt_version": "1",
    }
    fields.update(changes)
    return ChatRequest(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    [
        {"model": "m2"},
        {"messages": (("user", "hi!"),)},
        {"mode": Mode.JSON_OBJECT},
        {"schema": {"type": "array"}},
        {"temperature": 0.5},
        {"max_tokens": 11},
        {"prompt_name": "q"},
        {"prompt_version": "2"},
    ],
)
def test_cache_key_changes_with_everything_that_determines_the_answer(change: dict[str, object]) -> None:
    assert cache_key(request()) == cache_key(request())
    assert cache_key(request(**change)) != cache_key(request())


def test_cache_key_is_the_hash_of_the_prompt_and_body_as_canonical_json() -> None:
    """Keys made by earlier versions (cached answers, Batch custom_ids) must stay valid."""
    import hashlib

    req = request(messages=(("system", "Réponds"), ("user", 'a "quote" \\ and é')), schema={"b": 1, "a": [2]})
    material = {"prompt": [req.prompt_name, req.prompt_version], "body": req.body()}
    text = json.dumps(material, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert cache_key(req) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_migrations_are_forward_only_and_upgrade_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + "PRAGMA user_version=1;")
    db.execute(
        "INSERT INTO responses (key, model, prompt_name, prompt_version, mode, request, response_text,"
        " created_at) VALUES ('k', 'm', 'p', '1', 'json_schema', '{}', '{\"a\": 1}', 0)"
    )
    db.commit()
    db.close()
    cache = ResponseCache(path)
    assert cache.schema_version == len(MIGRATIONS) == 2
    assert cache.rows()[0]["source"] == "api"  # added by migration 2, old row kept
    reply = cache.get("k")
    assert reply is not None and reply.text == '{"a": 1}'
    cache.close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_cache_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version=99").connection.close()
    with pytest.raises(CacheError, match="newer coursegen"):
        ResponseCache(path)


def test_damaged_cache_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "llm.sqlite"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(CacheError, match="damaged or not a SQLite file") as caught:
        ResponseCache(path)
    assert caught.value.tip is not None and "mv" in caught.value.tip


def batch_output_line(custom_id: str, content: dict[str, object] | None = None, status: int = 200) -> str:
    """One line as the Batch API writes it."""
    body: dict[str, object] = {
        "id": "chatcmpl-b",
        "object": "chat.completion",
        "model": "stub-model",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": json.dumps(content or GOOD)},
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }
    if status != 200:
        body = {"error": {"message": "Invalid request", "type": "invalid_request_error"}}
    return json.dumps(
        {
            "id": f"batch_req_{custom_id[:6]}",
            "custom_id": custom_id,
            "response": {"status_code": status, "request_id": "r", "body": body},
            "error": None,
        }
    )


def test_batch_out_then_import_round_trip(
    tmp_path: Path, stub_openai: StubOpenAI, make_client: ClientFactory, cache: ResponseCache
) -> None:
    passages = [f"ep1/p{i}/s1 Passage {i}." for i in range(3)]
    requests_file = tmp_path / "requests.jsonl"
    batch_client = make_client()
    batch_client.batch = BatchWriter(requests_file)
    for passage in passages:
        with pytest.raises(BatchPending):
            batch_client.run("selftest", {"passage": passage}, Topic, stage="concepts")
    assert batch_client.batch.write() == 3
    assert stub_openai.chat_calls() == []  # nothing sent in --batch-out mode

    lines = [json.loads(line) for line in requests_file.read_text().splitlines()]
    assert [line["custom_id"] for line in lines] == sorted(line["custom_id"] for line in lines)
    for line in lines:
        assert set(line) == {"custom_id", "method", "url", "body"}
        assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
        assert line["body"]["model"] == "stub-model"
        assert line["body"]["response_format"]["type"] == "json_schema"

    output_file = tmp_path / "results.jsonl"
    output_file.write_text("\n".join(batch_output_line(line["custom_id"]) for line in lines) + "\n")
    report = import_batch_output(output_file, cache)
    assert (report.imported, report.already_cached, report.failed) == (3, 0, [])
    assert {row["source"] for row in cache.rows()} == {"batch"}

    rerun = make_client()
    assert [rerun.run("selftest", {"passage": p}, Topic, stage="concepts") for p in passages] == [
        Topic(**GOOD)
    ] * 3
    assert stub_openai.chat_calls() == []  # everything came from the imported answers
    again = import_batch_output(output_file, cache)
    assert (again.imported, again.already_cached) == (0, 3)


def test_batch_import_reports_failed_lines(tmp_path: Path, cache: ResponseCache) -> None:
    output_file = tmp_path / "results.jsonl"
    output_file.write_text(
        batch_output_line("a" * 64) + "\n" + batch_output_line("b" * 64, status=400) + "\n"
    )
    report = import_batch_output(output_file, cache)
    assert report.imported == 1 and report.failed == [("b" * 64, "HTTP 400 Invalid request")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("{not json\n", "line 1 is not JSON"),
        (
            '{"custom_id": "x", "method": "POST", "url": "/v1/chat/completions", "body": {}}\n',
            "Batch \\*input\\* file",
        ),
        ('{"foo": 1}\n', "line 1 has no custom_id"),
    ],
)
def test_batch_import_bad_files(tmp_path: Path, cache: ResponseCache, content: str, message: str) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        import_batch_output(path, cache)


def test_cli_batch_import_into_build_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output_file = tmp_path / "results.jsonl"
    output_file.write_text(batch_output_line("c" * 64) + "\n")
    assert main(["batch", "import", str(output_file), "--out", str(tmp_path / "build")]) == 0
    out = capsys.readouterr().out
    assert "imported 1 answer(s)" in out and "100 in + 20 out tokens" in out
    db = tmp_path / "build" / ".cache" / "llm-cache.sqlite"
    assert ResponseCache(db).get("c" * 64) is not None


def test_cli_batch_import_missing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", "import", str(tmp_path / "nope.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "ERROR" in err and "nope.jsonl: file not found" in err and "Traceback" not in err


def test_cache_rows_written_as_each_answer_arrives(
    stub_openai: StubOpenAI, make_client: ClientFactory, cache: ResponseCache
) -> None:
    from tests.support.stub_openai import StubReply

    seen: list[int] = []

    def responder(request: object) -> StubReply:
        # Read the file from another connection while the next call is being answered.
        seen.append(sqlite3.connect(cache.path).execute("SELECT COUNT(*) FROM responses").fetchone()[0])
        return StubReply.json(GOOD)

    stub_openai.responder = responder
    client: LLMClient = make_client()
    for index in range(3):
        client.run("selftest", {"passage": f"ep1/p{index}/s1 x"}, Topic, stage="s")
    assert seen == [0, 1, 2]
