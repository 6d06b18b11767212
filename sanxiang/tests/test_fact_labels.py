"""Every fact key the services write into a ledger entry reads under a Chinese name in a record's history, and the
codes of the commonest steps read in words: the keys are read from the source of every `commit(...)`,
`ledger_append(...)` and `Record(...)` that writes an entry."""

import ast
from pathlib import Path

from sanxiang.core.facts import KEY_LABELS, LEFT_OUT, facts

ROOT = Path(__file__).resolve().parents[1]
WRITERS = {"commit", "ledger_append", "Record"}


def _keys(node, scope: ast.AST, functions: dict) -> set[str]:
    """The string keys of the dict `node` builds: a literal, a union of dicts, dict(...), a local name assigned one
    (or given keys one by one), or a call of a function of the module that returns one."""
    if isinstance(node, ast.Dict):
        return {key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _keys(node.left, scope, functions) | _keys(node.right, scope, functions)
    if isinstance(node, ast.IfExp):
        return _keys(node.body, scope, functions) | _keys(node.orelse, scope, functions)
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "dict":
        return {keyword.arg for keyword in node.keywords if keyword.arg}
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in functions:
        function = functions[node.func.id]
        returns = [inner.value for inner in ast.walk(function) if isinstance(inner, ast.Return) and inner.value]
        return set().union(*(_keys(value, function, {}) for value in returns))
    if isinstance(node, ast.Name):
        found = set()
        for inner in ast.walk(scope):
            if isinstance(inner, ast.Assign | ast.AnnAssign) and inner.value is not None:
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                if any(getattr(target, "id", "") == node.id for target in targets):
                    found |= _keys(inner.value, scope, functions)
                for target in targets:
                    if (
                        isinstance(target, ast.Subscript)
                        and getattr(target.value, "id", "") == node.id
                        and isinstance(target.slice, ast.Constant)
                    ):
                        found.add(target.slice.value)
        return found
    return set()


def written_fact_keys() -> dict[str, set[str]]:
    """Each key the source writes into an entry's data, with the modules that write it."""
    written: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if {"tests", "testing", "migrations"} & set(relative.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                if name not in WRITERS:
                    continue
                data = [keyword.value for keyword in call.keywords if keyword.arg == "data"]
                if name == "commit" and len(call.args) >= 4:
                    data.append(call.args[3])
                for node in data:
                    for key in _keys(node, function, functions):
                        written.setdefault(key, set()).add(str(relative))
    return written


def test_the_walk_finds_the_facts_of_every_kind_of_writer():
    written = written_fact_keys()
    # a move's dict literal, a dict built beforehand, a module function's, and a batch of records
    assert {"seizure", "issuing_agency", "course", "departs", "returns", "lapsed"} <= set(written)


def test_every_fact_key_the_services_write_has_a_chinese_name():
    named = {key.rpartition(":")[2] for key in KEY_LABELS} | LEFT_OUT
    unnamed = {key: sorted(paths) for key, paths in written_fact_keys().items() if key not in named}
    assert not unnamed, f"fact keys without a name in core.facts.KEY_LABELS: {unnamed}"


def test_the_codes_of_a_seizure_a_review_and_a_plan_read_in_words(db):
    assert facts({"kind": "detain", "seizure": 4}, "cases.case") == [("种类", "扣押"), ("查封、扣押", "4")]
    assert facts({"passed": True, "review": "哈环审〔2026〕3号"}, "cases.case") == [
        ("审核通过", "是"),
        ("法制审核", "哈环审〔2026〕3号"),
    ]
    assert facts({"counts": {"inspected": 7, "case_opened": 2, "no_problem": 5}}, "inspections.plan") == [
        ("公示统计", "已检查的对象数：7；发现问题，已立案查处：2；未发现问题：5")
    ]
    assert facts({"ground": "complaint"}, "inspections.approval") == [("紧急事由", "群众投诉举报反映的紧急情况")]
    records = facts({"records": ["publication_late:12"]}, "supervision.notice")[0][1]
    assert records.endswith(" 12") and "publication_late" not in records
    assert facts({"percents": {"general": "10"}}, "inspections.plan") == [("抽查比例", "一般监管：10")]
    assert facts({"fields": ["court"]}, "agencies.agency")[0][1] != "court"
