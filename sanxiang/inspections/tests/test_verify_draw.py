"""tools/verify_draw.py — a separate implementation of the published algorithm, standard library only — recomputes
from the committed plan JSON and the seed checkpoint exactly the targets and pairs the platform drew and published."""

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.agencies import services as agencies
from sanxiang.agencies.models import Role
from sanxiang.cases.models import Tier
from sanxiang.inspections import draw_results, draws
from sanxiang.inspections.plan_models import Plan
from sanxiang.inspections.plan_selectors import draw_export
from sanxiang.ledger.canonical import canonical_json
from sanxiang.ledger.models import Checkpoint
from sanxiang.ledger.services import ledger_signer
from sanxiang.ledger.signing import Signer
from sanxiang.testing.draws import approved, make_enterprises, make_plan
from sanxiang.testing.factories import make_certificate, make_staff

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"


def verify(*args) -> str:
    """The script's output, run as an outsider would: its own process, no Django, no database."""
    result = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def drawn_plan(world):
    officers = [make_staff(agency=world.harbin, roles=[Role.OFFICER]) for _ in range(5)]
    for officer in officers:
        make_certificate(holder=officer)
    enterprises = make_enterprises(world.harbin, {Tier.KEY: 7, Tier.GENERAL: 40, Tier.POSITIVE: 25})
    # recusals the draw must honour: one declared, one kinship, both on enterprises of the population
    draw_results.recusal_declare(actor=world.people.officer, party=enterprises[0], reason="其配偶在该企业任职")
    draw_results.recusal_record_kinship(
        actor=world.people.head, officer=officers[0], party=enterprises[0], reason="其兄为该企业法定代表人"
    )
    plan = approved(world, make_plan(world, percents={"key": "100", "general": "12.5", "positive": "4"}))
    # a certificate suspended after the approval: its holder is left out of every pair, and the draw says so
    agencies.certificate_suspend(actor=None, certificate=officers[1].certificates.get(), reason="调查期间暂扣")
    draws.draw_perform(actor=world.people.head, plan=plan)
    return Plan.objects.get(pk=plan.pk)


def test_the_verifier_prints_what_the_service_drew_and_published(drawn_plan, tmp_path):
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(bytes(drawn_plan.commitment.body))
    published = draw_export(drawn_plan)
    lapsed = ",".join(published["lapsed"])
    output = json.loads(
        verify(
            plan_file,
            "--size",
            published["checkpoint"]["size"],
            "--root",
            published["checkpoint"]["root"],
            "--lapsed",
            lapsed,
            "--json",
        )
    )
    assert output["plan_digest"] == published["plan_digest"] == drawn_plan.commitment.digest
    assert published["lapsed"] == [drawn_plan.draw.lapsed[0]] and lapsed not in str(published["targets"])
    assert output["seed"] == published["checkpoint"]["root"]
    assert output["targets"] == published["targets"]
    # what anyone recomputes is what the draw's public ledger entry committed to
    assert hashlib.sha256(canonical_json(output["targets"])).hexdigest() == drawn_plan.draw.result_digest
    assert len(output["targets"]) == 7 + 5 + 1  # 100 %, 12.5 % of 40, 4 % of 25: rounded up
    recused = json.loads(bytes(drawn_plan.commitment.body))["recusals"]
    ((uscc, numbers),) = recused.items()
    assert len(numbers) == 2
    pair = next(target["officers"] for target in output["targets"] if target["uscc"] == uscc)
    assert pair and not set(pair) & set(numbers)


def test_the_verifier_reads_the_signed_checkpoint_note(drawn_plan, tmp_path):
    plan_file, note = tmp_path / "plan.json", tmp_path / "checkpoint.txt"
    plan_file.write_bytes(bytes(drawn_plan.commitment.body))
    note.write_text(Checkpoint.objects.get(size=drawn_plan.draw.checkpoint_size).note)
    text = verify(plan_file, "--checkpoint", note, "--lapsed", ",".join(drawn_plan.draw.lapsed))
    assert f"plan digest {drawn_plan.commitment.digest}" in text
    for target in drawn_plan.targets.select_related("first_certificate", "second_certificate"):
        line = f"{target.rank:>6} {target.tier:<8} {target.uscc} {target.first_certificate.number} "
        assert line + target.second_certificate.number in text


def _refused(*args) -> str:
    result = subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    return result.stderr


def test_the_verifier_checks_the_notes_signature_with_the_published_key(drawn_plan, tmp_path):
    plan_file, note = tmp_path / "plan.json", tmp_path / "checkpoint.txt"
    plan_file.write_bytes(bytes(drawn_plan.commitment.body))
    signed = Checkpoint.objects.get(size=drawn_plan.draw.checkpoint_size).note
    key = str(ledger_signer().verifier)
    note.write_text(signed)
    lapsed = ",".join(drawn_plan.draw.lapsed)
    assert "plan digest" in verify(plan_file, "--checkpoint", note, "--verifier-key", key, "--lapsed", lapsed)
    # another root under the same signature: the seed is refused before anything is drawn from it
    origin, size, root, *rest = signed.split("\n")
    forged = "\n".join([origin, size, base64.b64encode(bytes(32)).decode(), *rest])
    note.write_text(forged)
    assert "does not verify" in _refused(plan_file, "--checkpoint", note, "--verifier-key", key)
    other = str(Signer.generate(origin).verifier)
    note.write_text(signed)
    assert "no signature by" in _refused(plan_file, "--checkpoint", note, "--verifier-key", other)


def test_a_plan_file_changed_by_one_byte_draws_something_else(drawn_plan, tmp_path):
    body = bytes(drawn_plan.commitment.body).replace(b'"title":"', b'"title":" ', 1)
    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(body)
    output = json.loads(
        verify(plan_file, "--size", drawn_plan.draw.checkpoint_size, "--root", drawn_plan.draw.seed, "--json")
    )
    assert output["plan_digest"] != drawn_plan.commitment.digest
    assert output["targets"] != draw_export(drawn_plan)["targets"]
