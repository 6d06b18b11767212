"""Importing an official text from the national database's download (.docx or .txt): every article's words with
the file's name, SHA-256 and the time, all or nothing, by the province's administrators only, with its ledger
entry — through the service and the command (the workbench page: test_pages)."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from sanxiang.laws import services
from sanxiang.laws.models import Article
from sanxiang.ledger.models import Entry
from sanxiang.testing.laws import LINES, as_docx, as_text, make_article, make_instrument


def _import(actor, name, content, instrument=None):
    return services.instrument_text_import(actor=actor, file_name=name, content=content, instrument=instrument)


def _texts(instrument):
    return dict(instrument.articles.values_list("number", "official_text"))


@pytest.mark.parametrize(("name", "content"), [("样例法.txt", as_text()), ("样例法.docx", as_docx())])
def test_an_official_text_is_imported_article_by_article_with_its_source(world, name, content):
    instrument = make_instrument()
    first = make_article(instrument, 1, "目的。")
    _import(world.people.province_admin, name, content)

    assert _texts(instrument) == {
        1: "为了检验导入程序，制定本法。",
        2: "样例机关负责下列事项：\n（一）登记样例；\n（二）公布样例。",
        3: "本法自2024年7月1日起施行。",
    }
    first.refresh_from_db()
    assert first.paraphrase == "目的。"  # the paraphrase written here stays
    assert first.text_source == name and first.text_sha256 == hashlib.sha256(content).hexdigest()
    assert first.text_imported_at is not None
    entry = Entry.objects.get(action="law.text_import")
    assert entry.public and entry.subject_id == str(instrument.pk)
    body = json.loads(bytes(entry.body))
    assert body["data"]["sha256"] == first.text_sha256 and body["data"]["articles"] == 3


def test_a_text_in_gb18030_is_read_too(world):
    instrument = make_instrument()
    _import(world.people.province_admin, "样例法.txt", as_text(encoding="gb18030"), instrument)
    assert len(_texts(instrument)) == 3


def test_the_version_is_found_by_the_last_date_of_the_history_when_several_share_the_title(world):
    older = make_instrument(
        version_label="2020年", promulgated_on="2020-01-08", effective_to="2024-06-30", effective_from="2020-03-01"
    )
    newer = make_instrument()
    _import(world.people.province_admin, "样例法.txt", as_text())
    assert _texts(newer) and not _texts(older)


def test_a_bad_file_lists_every_problem_and_saves_nothing(world):
    instrument = make_instrument()
    make_article(instrument, 9)
    broken = [
        *LINES[:6],
        "第一条　为了检验导入程序，制定本法。",
        "第三条　跳过了第二条。",
        "第三条　重复的第三条。",
        "第二条　顺序颠倒。",
        "第四条",
    ]
    with pytest.raises(services.TextRejected) as refused:
        _import(world.people.province_admin, "样例法.txt", as_text(broken), instrument)
    assert refused.value.problems == [
        "第一条之后是第三条，缺少第二条。",
        "第三条重复出现。",
        "第二条出现在第三条之后，顺序颠倒。",
        "第四条没有内容。",
        "库中已收录第九条，文件中没有（文件共5条），可能不是同一版本。",
    ]
    assert not any(_texts(instrument).values())
    assert not Entry.objects.filter(action="law.text_import").exists()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("样例法.pdf", b"%PDF-1.7", "只能导入 .docx 或 .txt 文件"),
        ("样例法.docx", b"not a zip", "无法读取 Word 文件"),
        ("样例法.txt", "一段话。\n没有条文。".encode(), "文件中没有找到条文"),
        (
            "样例法.txt",
            "\n".join(["中华人民共和国另一部法", *LINES[1:]]).encode(),
            "与所选的《中华人民共和国试行样例法》不符",
        ),
    ],
)
def test_what_is_not_the_chosen_law_text_is_refused(world, name, content, problem):
    instrument = make_instrument()
    with pytest.raises(services.TextRejected) as refused:
        _import(world.people.province_admin, name, content, instrument)
    assert problem in refused.value.problems[0]
    assert not Article.objects.filter(instrument=instrument).exists()


def test_a_text_of_another_version_is_refused_by_the_date_of_its_history(world):
    older = make_instrument(
        version_label="2020年", promulgated_on="2020-01-08", effective_from="2020-03-01", effective_to="2024-06-30"
    )
    with pytest.raises(services.TextRejected) as refused:
        _import(world.people.province_admin, "样例法.txt", as_text(), older)
    assert refused.value.problems == ["文件题注的最后日期 2024-06-01 不是所选版本（2020年）的日期，可能不是同一版本。"]


def test_a_title_the_library_does_not_hold_is_refused(world):
    with pytest.raises(services.TextRejected) as refused:
        _import(world.people.province_admin, "样例法.txt", as_text())
    assert refused.value.problems == ["法律法规库中没有《中华人民共和国试行样例法》，只能导入库中已有版本的官方文本。"]


@pytest.mark.parametrize("persona", ["admin", "head", "officer"])
def test_only_the_provinces_administrators_import(world, persona):
    instrument = make_instrument()
    with pytest.raises(PermissionDenied):
        _import(getattr(world.people, persona), "样例法.txt", as_text(), instrument)
    assert not Article.objects.filter(instrument=instrument).exists()


def test_the_command_imports_and_reports_problems_with_exit_status_one(world, tmp_path):
    instrument = make_instrument()
    good, bad = tmp_path / "样例法.txt", tmp_path / "坏文件.txt"
    good.write_bytes(as_text())
    bad.write_bytes("没有条文".encode())
    out = StringIO()
    call_command("laws", "import", str(good), "--user", "provadmin", "--instrument", str(instrument.pk), stdout=out)
    assert "已导入" in out.getvalue() and len(_texts(instrument)) == 3
    errors = StringIO()
    with pytest.raises(SystemExit) as ended:
        call_command("laws", "import", str(bad), "--user", "provadmin", stderr=errors)
    assert ended.value.code == 1 and "文件中没有找到条文" in errors.getvalue()
