"""Log lines name their request: the id the proxy sent (when well formed) or one of ours, returned in the response
and carried by every line written while serving it; SANXIANG_LOG_FORMAT=json writes each line as one JSON object."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from django.http import HttpRequest
from django.test import Client

from sanxiang.core.logs import JsonFormatter, RequestIdFilter, request_id, request_id_begin, request_id_end


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def django_request_log():
    """What Django's request logger writes (a 404 is a warning there), as the console handler would see it."""
    handler, logger = _Kept(), logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_a_response_names_its_request_and_so_does_every_line_logged_while_serving_it(db, django_request_log):
    response = Client().get("/no-such-page/")
    given = response.headers["X-Request-ID"]
    assert response.status_code == 404 and len(given) == 32 and int(given, 16) >= 0
    assert [record.request_id for record in django_request_log] == [given]
    assert isinstance(django_request_log[0].request, HttpRequest)  # Django's own attribute, left for later handlers
    assert request_id() is None  # the request is over: nothing logged later claims it


def test_a_well_formed_id_from_the_proxy_is_kept(db, django_request_log):
    response = Client().get("/no-such-page/", headers={"X-Request-ID": "0f3a9c1e-5b2d-4c11-9e7a-2b8f6d4c0a17"})
    assert response.headers["X-Request-ID"] == "0f3a9c1e-5b2d-4c11-9e7a-2b8f6d4c0a17"
    assert django_request_log[0].request_id == "0f3a9c1e-5b2d-4c11-9e7a-2b8f6d4c0a17"


@pytest.mark.parametrize(
    "offered",
    ["abc", "x" * 65, "forged\n2026-12-07 INFO fake line", "id with spaces", "标识符标识符标识符"],
)
def test_an_id_that_could_forge_or_flood_a_log_line_is_replaced_by_one_of_ours(db, offered):
    given = Client().get("/healthz", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert given != offered and len(given) == 32


def test_two_requests_get_different_ids(db):
    client = Client()
    assert client.get("/healthz").headers["X-Request-ID"] != client.get("/healthz").headers["X-Request-ID"]


def test_a_json_line_holds_time_level_logger_message_request_and_the_exception():
    request_id_begin("req-00000001")
    try:
        try:
            raise ValueError("坏数据")
        except ValueError:
            record = logging.getLogger("sanxiang.x").makeRecord(
                "sanxiang.x", logging.ERROR, __file__, 1, "案件 %s 出错", ("A1",), sys.exc_info()
            )
        RequestIdFilter().filter(record)
    finally:
        request_id_end()
    line = JsonFormatter().format(record)
    parsed = json.loads(line)
    assert "\n" not in line and "案件 A1 出错" in line  # one line, Chinese as it is
    assert parsed["level"] == "ERROR" and parsed["logger"] == "sanxiang.x" and parsed["message"] == "案件 A1 出错"
    assert parsed["request_id"] == "req-00000001" and parsed["time"].endswith("+00:00")
    assert "ValueError: 坏数据" in parsed["exception"]


def test_the_json_format_is_chosen_by_setting_and_a_line_outside_a_request_has_no_id(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LOG_FORMAT": "json"}
    script = "import logging; logging.getLogger('sanxiang.check').warning('核验 %s', 7)"
    done = subprocess.run(
        [sys.executable, "-m", "sanxiang", "shell", "-c", script],
        env=env | {"PYTHONPATH": os.getcwd()},
        capture_output=True,
        text=True,
        check=True,
    )
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["message"] == "核验 7" and line["logger"] == "sanxiang.check" and line["request_id"] is None


def test_an_unknown_log_format_is_refused_at_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SANXIANG_DATA_DIR": str(tmp_path), "SANXIANG_LOG_FORMAT": "xml"}
    done = subprocess.run([sys.executable, "-m", "sanxiang", "check"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "SANXIANG_LOG_FORMAT" in done.stderr
