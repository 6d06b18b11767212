"""文号 never repeat or skip, also when several processes number documents at the same time."""

import subprocess
import sys
import time

from sanxiang.testing.processes import run

PER_WORKER, WORKERS = 25, 3
SETUP = (
    "from sanxiang.agencies.services import agency_create as c; from sanxiang.demo.codes import demo_uscc as u; "
    "p = c(actor=None, parent=None, code='230000', name='黑龙江省生态环境厅', abbreviation='黑环', level='province', "
    "uscc=u('11', '230000', 1), address='哈尔滨'); "
    "c(actor=None, parent=p, code='230100', name='哈尔滨市生态环境局', abbreviation='哈环', level='city', "
    "uscc=u('11', '230100', 2), address='哈尔滨')"
)
NUMBERS = (
    "from sanxiang.documents.models import Document; "
    "print(' '.join(str(n) for n in Document.objects.order_by('sequence').values_list('sequence', flat=True)))"
)


def test_concurrent_workers_take_every_number_once(fresh_database, tmp_path):
    env = fresh_database
    run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", SETUP)
    start = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "sanxiang.testing.document_worker", str(PER_WORKER), str(start)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(WORKERS)
    ]
    time.sleep(1.5)
    start.touch()
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    numbers = [int(n) for n in run(env, "-m", "sanxiang", "shell", "--no-imports", "-c", NUMBERS).split()]
    assert numbers == list(range(1, PER_WORKER * WORKERS + 1))
    report = run(env, "-m", "sanxiang", "ledger", "verify")
    assert report.startswith("OK")
