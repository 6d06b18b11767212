import hashlib
from json import dumps
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxiang.agencies.models import Certificate
from sanxiang.cases.models import Act, Case, Stage
from sanxiang.core.blobs import BlobError, sweep_incoming
from sanxiang.core.progress import Progress
from sanxiang.evidence.metadata import AUDIO_SUFFIXES, PHOTO_SUFFIXES, VIDEO_SUFFIXES, read_capture
from sanxiang.evidence.models import EvidenceItem, EvidenceKind
from sanxiang.evidence.selectors import recorder_proposal, stored_file_count
from sanxiang.evidence.services import evidence_ingest, evidence_scrub


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return EvidenceKind.VIDEO
    if suffix in AUDIO_SUFFIXES:
        return EvidenceKind.AUDIO
    if suffix in PHOTO_SUFFIXES:
        return EvidenceKind.PHOTO
    return EvidenceKind.ELECTRONIC


class Command(BaseCommand):
    help = "证据：从执法记录仪或文件夹导入、完整性校验 / Evidence: import from a camera or folder, integrity scrub"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        source = actions.add_parser("import", help="导入文件夹下的全部文件 / import every file below DIR")
        source.add_argument("directory", type=Path)
        source.add_argument("--case", required=True, help="立案编号 / case number")
        source.add_argument(
            "--officer",
            help="记录人的执法证号；执法记录仪文件可省略，按文件名识别 / the recording officer's certificate "
            "(a body-worn recorder's file names its own)",
        )
        source.add_argument("--device", default="", help="设备编号 / device id")
        source.add_argument(
            "--act",
            choices=Act.values,
            help="执法环节；省略时执法记录仪文件按时间建议，其余为调查取证 / the act recorded (default: proposed by "
            "a recorder's time, else evidence)",
        )
        scrub = actions.add_parser("scrub", help="重新计算全部文件的哈希 / re-hash every stored file")
        scrub.add_argument("--json", action="store_true")

    def handle(self, *args, action, **options):
        if action == "import":
            self._import(**options)
        else:
            self._scrub(**options)

    def _import(self, *, directory: Path, case, officer, device, act, **_):
        # Everything is checked before the first byte is copied.
        target = Case.objects.select_related("agency").filter(number=case).first()
        if target is None:
            raise CommandError(f"未知立案编号 / unknown case: {case}")
        if target.stage == Stage.ARCHIVED:
            raise CommandError("案件已归档，不能增加材料 / the case is archived")
        given = None
        if officer is not None:
            given = Certificate.objects.select_related("holder").filter(number=officer.strip().upper()).first()
            if given is None or not given.is_valid_on(timezone.localdate()):
                raise CommandError(f"未知或无效的执法证号 / unknown or invalid certificate: {officer}")
        if not directory.is_dir():
            raise CommandError(f"不是文件夹 / not a directory: {directory}")
        paths = sorted(path for path in directory.rglob("*") if path.is_file())
        proposals = {
            path: recorder_proposal(case=target, name=path.name, capture=read_capture(path, path.name))
            for path in paths
        }
        unattributed = (
            [] if given else [path.name for path, proposal in proposals.items() if not (proposal and proposal.officer)]
        )
        if unattributed:
            raise CommandError(
                "以下文件无法确定记录人（不是执法记录仪文件，或其执法证号在本机关没有对应的执法人员），请用 --officer 指定 / "
                f"no recording officer for these files, give --officer: {', '.join(unattributed)}"
            )
        total = sum(path.stat().st_size for path in paths)
        progress = Progress(total, label="import", unit="bytes")
        done = {"bytes": 0}

        def advance(count):
            done["bytes"] += count
            progress.update(done["bytes"])

        sweep_incoming()
        known = set(EvidenceItem.objects.filter(case=target).values_list("sha256", "original_name"))
        added, skipped, failed = 0, 0, []
        for path in paths:
            proposal = proposals[path]
            recorder = given.holder if given else proposal.officer
            if proposal is not None:
                self._propose(path, proposal, target, given=given, act=act)
            try:
                with path.open("rb") as source:
                    item = (
                        evidence_ingest(
                            actor=recorder,
                            source=source,
                            original_name=path.name,
                            act=act or (proposal and proposal.act) or Act.EVIDENCE,
                            kind=kind_of(path),
                            recorded_by=recorder,
                            case=target,
                            device=device,
                            description=f"由 {device or (proposal and proposal.recording.device) or '设备'} 导入："
                            f"{path.relative_to(directory)}",
                        )
                        if not self._known(path, known)
                        else None
                    )
            except (OSError, BlobError, ValidationError, PermissionDenied) as error:
                failed.append((path, error))
                self.stderr.write(f"跳过 / skipped {path}: {getattr(error, 'messages', [str(error)])[0]}")
                continue
            if item is None:
                skipped += 1
                self.stdout.write(f"已登记 / already registered: {path.name}")
            else:
                added += 1
                known.add((item.sha256, item.original_name))
            advance(path.stat().st_size)
        progress.finish()
        self.stdout.write(
            f"导入 / imported {added}，已登记 / already registered {skipped}，失败 / failed {len(failed)}"
        )
        if failed:
            raise SystemExit(1)

    def _propose(self, path: Path, proposal, case: Case, *, given, act) -> None:
        """Say what a recorder's file proposes, and where an option overrides it."""
        self.stdout.write(f"{path.name}：{proposal.describe()}")
        if act and proposal.act and act != proposal.act:
            self.stdout.write(f"  按 --act 登记为{Act(act).label} / registered as --act {act}")
        elif not (act or proposal.act):
            self.stdout.write(f"  登记为{Act.EVIDENCE.label} / registered as {Act.EVIDENCE}")
        if given is not None and proposal.officer is not None and proposal.officer != given.holder:
            self.stdout.write(f"  按 --officer 登记记录人为{given.holder} / recorded by --officer {given.number}")
        if warning := proposal.officer_warning(case):
            self.stderr.write(f"警告 / warning: {path.name}：{warning}，按 --officer 登记记录人为{given.holder}")

    @staticmethod
    def _known(path: Path, known: set) -> bool:
        """Already registered in this case: same name and same bytes (hashed here, before anything is copied)."""
        if not any(name == path.name for _digest, name in known):
            return False
        with path.open("rb") as handle:
            return (hashlib.file_digest(handle, "sha256").hexdigest(), path.name) in known

    def _scrub(self, *, json: bool, **_):  # noqa: A002 - the option is called --json
        progress = Progress(stored_file_count(), label="scrub", unit="files")
        report = evidence_scrub(progress=progress.update)
        progress.finish()
        if json:
            self.stdout.write(
                dumps(
                    {
                        "ok": report.ok,
                        "checked": report.checked,
                        "missing": report.missing,
                        "corrupted": report.corrupted,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            self.stdout.write(f"checked {report.checked} files")
            for row in report.missing:
                self.stdout.write(f"MISSING {row['object']} {row['sha256']}")
            for row in report.corrupted:
                self.stdout.write(f"CORRUPTED {row['object']} {row['sha256']} (now {row['found']})")
        if not report.ok:
            raise SystemExit(1)
