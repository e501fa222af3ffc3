"""A test's database is emptied only once the live server has finished what it was sent."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from tests import live_requests


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    """A real HTTP server whose one page answers when the test lets it, counted."""
    release = threading.Event()

    def application(environ, start_response):
        if environ["PATH_INFO"] == "/fails/":
            raise RuntimeError("the view failed")
        release.wait(10)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"written"]

    counter = live_requests.RequestsInProgress(application)
    server = make_server("127.0.0.1", 0, counter, handler_class=_Quiet)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    yield f"http://127.0.0.1:{server.server_port}", counter, release
    release.set()
    server.shutdown()
    server.server_close()


def fetch(url: str, answers: list) -> threading.Thread:
    def get():
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                answers.append(response.read())
        except urllib.error.HTTPError as error:
            answers.append(error.code)

    thread = threading.Thread(target=get)
    thread.start()
    return thread


def test_the_wait_lasts_until_the_response_is_written(slow_server):
    url, counter, release = slow_server
    answers = []
    client = fetch(url + "/visit/", answers)
    for _ in range(100):
        if counter.running:
            break
        time.sleep(0.02)
    assert counter.running == 1
    assert not counter.wait_until_idle(0.2)  # still writing: the emptying waits

    release.set()
    assert counter.wait_until_idle(5)
    client.join(5)
    assert answers == [b"written"] and counter.running == 0


def test_a_request_whose_view_fails_is_not_counted_for_ever(slow_server):
    url, counter, _release = slow_server
    answers = []
    fetch(url + "/fails/", answers).join(5)
    assert answers == [500]
    assert counter.wait_until_idle(1) and counter.running == 0


@pytest.mark.django_db(transaction=True)
def test_the_live_server_counts_its_requests(live_server):
    """The suite's live server is the counted one the emptying waits for."""
    application = live_server.thread.httpd.get_app()
    assert isinstance(application, live_requests.RequestsInProgress)
    with urllib.request.urlopen(live_server.url + "/account/login/", timeout=10) as response:
        assert response.status == 200
    assert live_requests.wait_until_idle() and application.running == 0
