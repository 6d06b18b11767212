"""The apps depend one way: every import of every app follows the order docs/architecture.md states, no two apps
depend on each other, every app is placed in the order, and Django loads them in that order. The checker itself is
tried on a copy of the project with a scratch import against the order, and on each loop the order was made to
remove."""

import shutil

import pytest
from django.conf import settings

from sanxiang.testing import imports

ORDER = imports.documented_order()
APPS = set(imports.apps_in())


def test_every_import_of_every_app_follows_the_documented_order():
    wrong = imports.violations(imports.scan(), ORDER, APPS)
    assert not wrong, "imports against the order of apps:\n" + "\n".join(map(str, wrong))


def test_no_two_apps_depend_on_each_other():
    assert imports.loops(imports.scan(), APPS) == []


def test_every_app_is_placed_in_the_order_once():
    assert sorted(ORDER) == sorted(APPS) and len(ORDER) == len(set(ORDER))


def test_django_loads_the_apps_in_the_documented_order():
    ours = [name.removeprefix("sanxiang.") for name in settings.INSTALLED_APPS if name.startswith("sanxiang.")]
    assert ours == ORDER


def test_every_allowed_exception_is_still_needed():
    found = {(item.source, item.target) for item in imports.scan()}
    assert set(imports.ALLOWED) <= found, "stale entries in the allow-list"


@pytest.fixture
def copy(tmp_path):
    """The project's modules, copied, for the checker to read with a scratch change."""
    target = tmp_path / "sanxiang"
    shutil.copytree(imports.ROOT, target, ignore=shutil.ignore_patterns("__pycache__", "*.html", "static", "*.docx"))
    return target


def _add(copy, path: str, line: str) -> None:
    file = copy / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text((file.read_text(encoding="utf-8") if file.exists() else "") + "\n" + line + "\n", encoding="utf-8")


def test_the_checker_passes_the_copy_unchanged(copy):
    assert imports.violations(imports.scan(copy), ORDER, APPS) == []


# The loops the order removed, each brought back by one line (the sixth reached evidence by name only).
SCRATCH = [
    ("core/services.py", "from sanxiang.ledger.services import ledger_append", "ledger"),
    ("cases/services/decision.py", "from sanxiang.review.selectors import decision_cleared", "review"),
    ("cases/services/decision.py", "from sanxiang.publicity.services import publication_open", "publicity"),
    ("audit/selectors.py", "from sanxiang.evidence.services import LEDGER_ACTIONS", "evidence"),
    ("api/urls.py", "from sanxiang.evidence.api import CaseEvidenceApi", "evidence"),
    ("cases/actions.py", 'import_string("sanxiang.evidence.services.case_file_archive")', "evidence"),
    ("cases/views.py", 'import_module("sanxiang.review.forms")', "review"),
]


@pytest.mark.parametrize(("path", "line", "target"), SCRATCH, ids=[f"{row[0]}->{row[2]}" for row in SCRATCH])
def test_the_checker_fails_on_a_scratch_import_against_the_order(copy, path, line, target):
    _add(copy, path, line)
    wrong = imports.violations(imports.scan(copy), ORDER, APPS)
    assert [(item.source, item.target.split(".")[1]) for item in wrong] == [(path, target)]


@pytest.mark.parametrize(("path", "line", "target"), SCRATCH[:4], ids=[f"{row[0]}->{row[2]}" for row in SCRATCH[:4]])
def test_a_scratch_import_back_up_the_order_closes_a_loop(copy, path, line, target):
    _add(copy, path, line)
    source = path.split("/")[0]
    assert [group for group in imports.loops(imports.scan(copy), APPS) if {source, target} <= set(group)]


def test_the_root_modules_and_the_tests_are_outside_the_rule(copy):
    _add(copy, "urls.py", "from sanxiang.demo import agencies")
    _add(copy, "core/tests/test_scratch.py", "from sanxiang.publicity import services")
    assert imports.violations(imports.scan(copy), ORDER, APPS) == []


def test_an_app_may_not_import_the_project_root_or_the_test_helpers(copy):
    _add(copy, "ledger/scratch.py", "from sanxiang import settings")
    _add(copy, "cases/scratch.py", "from sanxiang.testing.cases import walk")
    wrong = imports.violations(imports.scan(copy), ORDER, APPS)
    assert [(item.source, item.target) for item in wrong] == [
        ("cases/scratch.py", "sanxiang.testing.cases"),
        ("ledger/scratch.py", "sanxiang.settings"),
    ]
