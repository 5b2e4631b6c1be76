"""Alerts end to end on the replica: the changes of a run reach a real SMTP server and a real webhook on
127.0.0.1 once each, with the diff; nothing is sent for a first crawl, an unchanged re-crawl or a run under
faults; a destination down for two runs gets everything once back; a sender killed mid-send repeats
nothing and loses nothing."""

from __future__ import annotations

import json
import re
import signal
import time

import pytest

from replica.faults import ARTICLES, MAINTENANCE_PAGE, Faults, Rule
from tests.e2e.alert_sinks import SmtpSink, WebhookSink, free_port
from tests.e2e.conftest import crawl, popen_hepza, rows, run_hepza
from tests.hepza_cli import crawl_argv

pytestmark = pytest.mark.timeout(240)
_REFERENCE_RE = re.compile(r"hepza alert ([\w.-]+)/(\d+)-(\d+)")


def _config(tmp_path, *watches: str) -> dict:
    """A config file holding the watches; the environment that points every command at it."""
    path = tmp_path / "hepza.toml"
    path.write_text("\n".join(watches), encoding="utf-8")
    return {
        "HEPZA_CONFIG": str(path),
        "HEPZA_ALERTS_RETRY_BACKOFF": "0",
        "HEPZA_ALERTS_LANGUAGE": "en",
        "HEPZA_ALERTS_ARCHIVE_URL": "http://archive.example.org",
    }


def _watch(name: str, *urls: str, extra: str = "") -> str:
    return f'[[watch]]\nname = "{name}"\nnotify = {json.dumps(list(urls))}\n{extra}\n'


def _events_of(texts: list[str]) -> list[tuple[str, int, int]]:
    """(watch, first event, last event) of each message, from the reference it ends with."""
    found = []
    for text in texts:
        match = _REFERENCE_RE.search(text)
        assert match, text
        found.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return found


def _edit_the_site(site, db) -> dict:
    """Two edits, a removal, a replaced document and two new articles; what a message must say."""
    gold = site.gold()
    titled, worded, removed = gold[1]["asset_id"], gold[2]["asset_id"], gold[4]["asset_id"]
    site.edit(titled, title=gold[1]["title"] + " (cập nhật)")
    body = rows(db, "SELECT body_text FROM articles WHERE asset_id = ?", [worded])[0]["body_text"]
    word = body.split()[3]
    site.edit(worded, replace=(word, word.upper()))
    site.remove(removed)
    document = rows(db, "SELECT url FROM attachment_files ORDER BY id")[0]["url"]
    site.replace_document(document)
    fresh = site.add_new(2)
    return {
        "word": word,
        "removed_title": gold[4]["title"],
        "fresh_titles": [site.gold_for(a)["title"] for a in fresh],
        "edited_title": gold[1]["title"] + " (cập nhật)",
    }


def test_each_change_reaches_mail_and_webhook_once_with_its_diff(site, server, tmp_path):
    db = tmp_path / "x.db"
    with SmtpSink() as smtp, WebhookSink() as hook:
        env = _config(tmp_path, _watch("everything", smtp.url, hook.url))
        first = crawl(server.url, db, env=env)
        assert first["returncode"] == 0 and first["alerts"]["messages"] == 0, first
        assert smtp.messages == [] and hook.posts == []  # a first crawl is no news
        expected = _edit_the_site(site, db)
        run = crawl(server.url, db, "--full", env=env)
        assert run["returncode"] == 0 and run["changed"] == 2 and run["new"] == 2, run
        assert run["alerts"] == {"messages": 2, "events": 10, "failed": [], "waiting": []}, run["alerts"]
        assert len(smtp.messages) == len(hook.posts) == 1
        text, mail_text = hook.posts[0]["message"], smtp.bodies("plain")[0]
        mail_html = re.sub(r'<span style="display:none">[^<]*</span>', "", smtp.bodies("html")[0])
        assert hook.posts[0]["title"] == smtp.messages[0]["subject"]
        assert re.match(
            r"\[hepza\] 5 changes: (Edited|New|Document replaced): .+ and 4 more$", hook.posts[0]["title"]
        )
        assert f"“{expected['edited_title']}” was edited (title)." in text
        assert f"[-{expected['word']}-]{{+{expected['word'].upper()}+}}" in text  # the text form's diff
        assert f"<del>{expected['word']}</del><ins>{expected['word'].upper()}</ins>" in mail_html
        assert "<ins> (cập nhật)</ins>" in mail_html
        assert f"[-{expected['word']}-]{{+{expected['word'].upper()}+}}" in mail_text  # the plain part's too
        for title in expected["fresh_titles"]:
            assert f"New on the portal: “{title}”." in text
        assert "A document of “" in text and "was replaced by another version." in text
        assert re.search(r"In the archive: http://archive\.example\.org/-/article/\d+/history#v2", text)
        confirm = crawl(server.url, db, env=env)  # the removal is confirmed by the next run
        assert confirm["removed"] == 1 and confirm["alerts"]["messages"] == 2, confirm
        assert hook.posts[1]["title"] == f"[hepza] Removed: {expected['removed_title']}"
        assert smtp.messages[1]["subject"] == hook.posts[1]["title"]
        # An unchanged re-crawl, then a run under faults (503s and maintenance pages): nothing is sent.
        assert crawl(server.url, db, "--full", env=env)["alerts"]["messages"] == 0
        server.faults = Faults(
            Rule("status", match=ARTICLES, rate=0.3, status=503),
            Rule("page", body=MAINTENANCE_PAGE, rate=0.5),
        )
        faulty = crawl(server.url, db, "--full", env={**env, "HEPZA_RETRIES": "0"})
        server.faults = None
        assert faulty["errors"] > 0 and faulty["alerts"]["messages"] == 0, faulty
        # (the maintenance page served at a document's address is no new version; nor is its return)
        assert crawl(server.url, db, "--full", env=env)["alerts"]["messages"] == 0
        assert len(smtp.messages) == len(hook.posts) == 2
        events = rows(db, "SELECT id FROM alert_events ORDER BY id")
        for texts in (smtp.bodies("plain"), [p["message"] for p in hook.posts]):
            covered = [i for _, low, high in _events_of(texts) for i in range(low, high + 1)]
            assert covered == [e["id"] for e in events]  # every event once, none twice
        recorded = rows(db, "SELECT alerts FROM crawl_runs ORDER BY id")
        assert [json.loads(r["alerts"])["messages"] for r in recorded] == [0, 2, 2, 0, 0, 0]


def test_a_destination_down_for_two_runs_gets_everything_once_back(site, server, tmp_path):
    db = tmp_path / "x.db"
    port = free_port()
    hook = WebhookSink(port)
    env = _config(tmp_path, _watch("news", hook.url, extra='events = ["new"]'))
    crawl(server.url, db, env=env)
    # The receiver is down for two runs: the crawl is not failed, the failure is reported.
    titles = [site.gold_for(a)["title"] for a in site.add_new(1)]
    run = crawl(server.url, db, env=env)
    assert run["returncode"] == 0 and run["new"] == 1, run
    assert len(run["alerts"]["failed"]) == 1 and "news → json://127.0.0.1" in run["alerts"]["failed"][0]
    titles += [site.gold_for(a)["title"] for a in site.add_new(1)]
    plain = run_hepza("crawl", "--site-url", server.url, "--db", str(db), "--delay", "0", env=env)
    assert plain.returncode == 0 and "1 new" in plain.stdout, plain
    assert "ALERT not sent: news → json://127.0.0.1" in plain.stderr, plain.stderr
    recorded = rows(db, "SELECT alerts FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]["alerts"]
    assert json.loads(recorded)["failed"], recorded
    with hook:
        back = crawl(server.url, db, env=env)
        assert back["alerts"]["messages"] == 1 and back["alerts"]["events"] == 2, back
        assert crawl(server.url, db, env=env)["alerts"]["messages"] == 0
    assert len(hook.posts) == 1
    assert all(f"New on the portal: “{title}”." in hook.posts[0]["message"] for title in titles)


def test_a_sender_killed_mid_send_repeats_nothing_and_loses_nothing(site, server, tmp_path):
    db = tmp_path / "x.db"
    with WebhookSink() as hook:
        names = ("first", "second", "third")
        env = _config(tmp_path, *(_watch(name, hook.url) for name in names))
        crawl(server.url, db, env=env)
        edited = site.gold()[1]
        site.edit(edited["asset_id"], title=edited["title"] + " (cập nhật)")
        site.add_new(2)
        hook.hold_from = 1  # the first message is accepted; the second waits, its sender is killed
        sender = popen_hepza(*crawl_argv(server.url, db, "--full", concurrency=16), env=env)
        assert hook.held.wait(120), sender.communicate()
        sender.send_signal(signal.SIGKILL)
        sender.communicate()
        hook.hold_from = None
        hook.release.set()
        time.sleep(0.2)
        assert [p["title"] for p in hook.posts] and len(hook.posts) == 1
        again = crawl(server.url, db, env=env)  # nothing new on the portal: only what was not sent
        assert again["alerts"]["messages"] == 2 and again["alerts"]["failed"] == [], again
        assert crawl(server.url, db, env=env)["alerts"]["messages"] == 0
    sent = _events_of([p["message"] for p in hook.posts])
    assert sorted(name for name, _, _ in sent) == sorted(names)  # each watch's message exactly once
    assert {(low, high) for _, low, high in sent} == {(1, 3)}  # the same three events, to each


def test_crawl_notify_sends_the_run_events_without_a_watch_and_notify_tools(site, server, tmp_path):
    db = tmp_path / "x.db"
    with WebhookSink() as hook:
        crawl(server.url, db)
        fresh = site.add_new(1)
        run = crawl(server.url, db, "--notify", hook.url)
        assert run["alerts"]["messages"] == 1 and len(hook.posts) == 1, run
        assert hook.posts[0]["title"] == f"[hepza] Bài mới: {site.gold_for(fresh[0])['title']}"
        assert hook.posts[0]["message"].startswith("Bài mới trên cổng thông tin: «")
        trial = run_hepza("notify", "--test", hook.url, "--db", str(db))
        assert trial.returncode == 0 and hook.posts[-1]["title"] == "[hepza] test", trial.stderr
        added = run_hepza("watch", "add", "fresh", "--event", "new", "--notify", hook.url, "--db", str(db))
        assert added.returncode == 0, added.stderr
        listed = run_hepza("watch", "list", "--db", str(db)).stdout
        assert "fresh: events: new" in listed and "json://127.0.0.1" in listed
        site.add_new(1)
        crawl(server.url, db, env={"HEPZA_ALERTS_DIGEST": "daily"})
        assert len(hook.posts) == 3  # the watch's first digest of the day
        site.add_new(1)
        held = crawl(server.url, db, env={"HEPZA_ALERTS_DIGEST": "daily"})
        assert held["alerts"]["messages"] == 0 and "daily digest not due" in held["alerts"]["waiting"][0]
        dry = run_hepza("notify", "--dry-run", "--db", str(db), env={"HEPZA_ALERTS_DIGEST": "run"})
        assert (
            dry.returncode == 0
            and "== fresh → json://" in dry.stdout
            and "Subject: [hepza] Bài mới" in dry.stdout
        )
        assert len(hook.posts) == 3  # a dry run sends nothing
        sent = run_hepza("notify", "--db", str(db), env={"HEPZA_ALERTS_DIGEST": "run"})
        assert sent.returncode == 0 and sent.stdout.startswith("1 messages sent (1 events)"), sent
        assert len(hook.posts) == 4
        assert run_hepza("watch", "remove", "fresh", "--db", str(db)).returncode == 0
        assert "no watch" in run_hepza("watch", "list", "--db", str(db)).stdout
