"""The filter's syntax: words and statuses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.query import Query, parse_query


def test_words_and_statuses() -> None:
    assert parse_query("doing: HTTP  caching") == Query(("http", "caching"), frozenset({"doing"}))
    assert parse_query("done: skipped:") == Query((), frozenset({"done", "skipped"}))
    assert parse_query("later: http:") == Query(("later:", "http:"), frozenset())
    assert not parse_query("   ")


def test_matching() -> None:
    query = parse_query("doing: tls")
    assert query.matches(["HTTPS and TLS", "http-https-tls"], "doing")
    assert not query.matches(["HTTPS and TLS"], "todo")
    assert not query.matches(["HTTPS and TLS"], None)  # a branch: only through its items
    assert parse_query("cert").matches(["HTTPS", "", "Certificates and the handshake"], None)
    assert parse_query("my note").matches(["Title", "a note: my note text"], "todo")


@given(st.text(max_size=60))
def test_any_text_parses_and_words_match_the_text_they_came_from(text: str) -> None:
    query = parse_query(text)
    assert all(word and not word.isspace() for word in query.words)
    if not query.statuses:
        assert query.matches([text], None)
