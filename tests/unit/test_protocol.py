"""The crawler–writer protocol (archive/protocol.py): every message and reply survives its frame."""

from __future__ import annotations

import dataclasses
import inspect
import io
import pickle
import struct
import typing

import pytest

from archive import protocol
from archive.captures import Capture
from archive.protocol import (
    PROTOCOL_VERSION,
    ArticlePage,
    Attachment,
    Done,
    Error,
    FetchOutcome,
    FileLinks,
    FinishRun,
    FrameDecoder,
    ListingPage,
    Opened,
    OpenRun,
    ProtocolError,
    Routed,
    RunSummary,
    SitemapLastmods,
    WriterConfig,
    encode,
)
from archive.writer import serve

URL = "http://127.0.0.1:8000/w/hoi-nghi"
CONFIG = WriterConfig(
    db_path="/tmp/a.db",
    site_url="http://127.0.0.1:8000",
    mode="full",
    timezone="UTC",
    missing_share=0.5,
    min_pages=7,
    migration_batch_min=9,
    migration_batch_gap=11,
    migration_same_minute_min=4,
    removal_floor_share=0.25,
    removal_floor_min=12,
    removal_min_age="3d",
    diff_max_tokens=500,
)
CAPTURE = Capture(
    url=URL, status=200, body=b"<html>\x00 \xc4\x90</html>", fetched_at="2026-11-25T00:00:00+00:00"
)

# One example (every field away from its default) of each message and reply of the protocol.
EXAMPLES = {
    OpenRun: OpenRun(CONFIG, version=PROTOCOL_VERSION + 1),  # (any version travels; the writer checks it)
    ArticlePage: ArticlePage(
        CAPTURE, (URL, URL + "?x"), "tin-tuc", {"etag": '"1"', "last_modified": None}, "utf-8"
    ),
    FetchOutcome: FetchOutcome(
        URL,
        "not-modified",
        304,
        "HTTP 304",
        Capture(
            url=URL,
            status=304,
            body=b"",
            fetched_at="2026-11-25T00:00:00+00:00",
            http_head='HTTP/1.1 304 Not Modified\r\nETag: "1"',
            http_request="GET /w/hoi-nghi HTTP/1.1\r\nHost: 127.0.0.1:8000",
        ),
    ),
    Attachment: Attachment(URL + ".pdf", URL, b"%PDF", "application/pdf", 304, '"e"', "Wed, 08 Mar 2023"),
    SitemapLastmods: SitemapLastmods({URL: "2026-11-25T00:00:00Z"}),
    ListingPage: ListingPage("dau-tu", (URL,), ((URL, "12/11/2025 17:29"),)),
    FinishRun: FinishRun(12, 3, "shutdown"),
    Opened: Opened(7),
    Done: Done("changed", 2, FileLinks((URL + ".pdf",), (URL + ".jpg",))),
    RunSummary: RunSummary({"new": 1, "exit_code": 0, "alarms": []}),
    Error: Error("cannot open the archive: OSError: no such directory"),
}


def _dataclasses_of_the_module() -> set[type]:
    return {
        obj
        for _, obj in inspect.getmembers(protocol, inspect.isclass)
        if dataclasses.is_dataclass(obj) and obj.__module__ == protocol.__name__
    }


def test_every_dataclass_of_the_module_is_a_message_a_reply_or_a_part_of_one():
    kinds = protocol.MESSAGES + protocol.REPLIES + protocol.PARTS + protocol.ENVELOPES
    assert len(set(kinds)) == len(kinds)
    assert set(kinds) == _dataclasses_of_the_module()
    assert set(typing.get_args(protocol.Message)) == set(protocol.MESSAGES)
    assert set(typing.get_args(protocol.Reply)) == set(protocol.REPLIES)
    assert set(typing.get_args(protocol.Item)) == set(protocol.ITEMS) < set(protocol.MESSAGES)


def test_every_message_and_reply_has_a_round_trip_case():
    assert set(EXAMPLES) == set(protocol.MESSAGES + protocol.REPLIES)
    assert all(type(example) is kind for kind, example in EXAMPLES.items())


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=lambda kind: kind.__name__)
def test_a_message_or_reply_survives_its_frame(kind):
    example = EXAMPLES[kind]
    for field in dataclasses.fields(example):
        if field.default is not dataclasses.MISSING:
            assert getattr(example, field.name) != field.default, (
                f"{kind.__name__}.{field.name} at its default"
            )
    (decoded,) = FrameDecoder().feed(encode(example))
    assert type(decoded) is kind and decoded == example


@pytest.mark.parametrize("kind", list(EXAMPLES), ids=lambda kind: kind.__name__)
def test_a_message_or_reply_survives_its_frame_in_an_envelope(kind):
    routed = Routed(41, EXAMPLES[kind])
    (decoded,) = FrameDecoder().feed(encode(routed))
    assert type(decoded) is Routed and decoded == routed and type(decoded.message) is kind


def test_an_envelope_holds_a_message_or_reply_of_the_protocol_and_nothing_else():
    for inside in (Routed(1, EXAMPLES[Done]), ("done", "new", 0)):
        with pytest.raises(ProtocolError):
            encode(Routed(2, inside))  # type: ignore[arg-type]
        payload = pickle.dumps(Routed(2, inside))  # type: ignore[arg-type]
        with pytest.raises(ProtocolError):
            list(FrameDecoder().feed(struct.pack(">I", len(payload)) + payload))


def test_the_parts_are_carried_whole():
    assert EXAMPLES[OpenRun].config == CONFIG and all(
        getattr(CONFIG, f.name) != f.default
        for f in dataclasses.fields(CONFIG)
        if f.default is not dataclasses.MISSING
    )
    (done,) = FrameDecoder().feed(encode(EXAMPLES[Done]))
    assert done.links == FileLinks((URL + ".pdf",), (URL + ".jpg",))


def test_only_the_protocol_s_classes_are_framed():
    with pytest.raises(ProtocolError):
        encode(("done", "new", 0))  # type: ignore[arg-type]
    payload = pickle.dumps(("done", "new", 0))
    with pytest.raises(ProtocolError):
        list(FrameDecoder().feed(struct.pack(">I", len(payload)) + payload))


def test_a_crawler_of_another_protocol_version_is_refused_in_one_line(tmp_path):
    config = WriterConfig(db_path=str(tmp_path / "a.db"), site_url="http://127.0.0.1:8000")
    out = io.BytesIO()
    assert serve(io.BytesIO(encode(OpenRun(config, version=PROTOCOL_VERSION + 1))), out) == 1
    (reply,) = FrameDecoder().feed(out.getvalue())
    assert isinstance(reply, Error) and "\n" not in reply.message
    assert f"protocol version {PROTOCOL_VERSION}, the crawler {PROTOCOL_VERSION + 1}" in reply.message
    assert not (tmp_path / "a.db").exists()  # refused before the archive is opened
