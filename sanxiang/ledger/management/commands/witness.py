from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.gunicorn import GunicornServer
from sanxiang.ledger.signing import NoteError
from sanxiang.ledger.witness import Witness, application

# Exit code of `witness alarms` when the witness has refused a checkpoint as inconsistent: a monitor can page on it.
EXIT_ALARM = 3


class Command(BaseCommand):
    help = "账本见证方（C2SP tlog-witness）：独立联署检查点 / A witness that cosigns the ledger's checkpoints"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("init", "新建见证方（密钥与状态目录）/ create a witness: its key and state folder"),
            ("trust", "信任一个账本的验证公钥 / trust a log by its verifier key"),
            ("serve", "运行见证服务 / serve the witness protocol"),
            ("key", "输出见证方公钥 / print the witness's public key"),
            ("alarms", "列出拒绝的不一致检查点 / list the inconsistent checkpoints refused"),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument("--state", required=True, help="见证方状态目录 / the witness's folder")
            if name == "init":
                action.add_argument("--name", required=True, help="见证方名称，如 witness.example.cn/w1 / key name")
            if name in ("init", "trust"):
                action.add_argument(
                    "--log-key", action="append", default=[], help="账本验证公钥（可重复）/ a log's verifier key"
                )
                action.add_argument(
                    "--log-hash",
                    choices=("sha256", "sm3"),
                    default="sha256",
                    help="这些账本的杂凑算法（国密模式为 sm3）/ the tree hash of these logs (sm3 in 国密 mode)",
                )
            if name == "serve":
                action.add_argument("--bind", default="127.0.0.1:8200", help="监听地址 / address:port")
                action.add_argument("--workers", type=int, default=1, help="工作进程数 / worker processes")

    def handle(self, *args, action, state, **options):
        folder = Path(state)
        try:
            witness = Witness.create(folder, name=options["name"]) if action == "init" else Witness(folder)
            getattr(self, f"_{action}")(witness, **options)
        except (FileNotFoundError, FileExistsError, NoteError) as error:
            raise CommandError(str(error)) from None

    def _init(self, witness, *, log_key, log_hash, **_):
        self._trust(witness, log_key=log_key, log_hash=log_hash)
        self._key(witness)

    def _trust(self, witness, *, log_key, log_hash, **_):
        for key in log_key:
            self.stdout.write(f"信任账本 / trusting log {witness.trust(key, hash=log_hash)}")

    def _key(self, witness, **_):
        self.stdout.write(str(witness.cosigner.key))

    def _alarms(self, witness, **_):
        alarms = witness.alarms()
        for at, origin, reason, submission in alarms:
            self.stdout.write(f"{at} {origin}: {reason}\n{submission}")
        if alarms:
            raise SystemExit(EXIT_ALARM)
        self.stdout.write("无告警 / no alarms")

    def _serve(self, witness, *, bind, workers, **_):
        self.stdout.write(f"见证方 / witness {witness.cosigner.key} on http://{bind}/")
        GunicornServer(
            # sync workers: a cosignature is milliseconds of CPU, and the state's transaction serialises them anyway
            {"bind": bind, "workers": workers, "threads": 1, "accesslog": "-", "timeout": 30},
            lambda: application(witness),
        ).run()
