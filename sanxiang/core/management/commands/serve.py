import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanxiang.core.blobs import sweep_temporaries
from sanxiang.core.checks import STATIC_MISSING_HINT, static_files_missing
from sanxiang.core.gunicorn import GunicornServer
from sanxiang.core.metrics import metrics_folder_sweep, worker_exited


def _site():
    # settings.WSGI_APPLICATION names the project's application; core does not import the project root.
    from django.core.servers.basehttp import get_internal_wsgi_application

    return get_internal_wsgi_application()


class Command(BaseCommand):
    help = "以生产方式运行网站（gunicorn）/ Serve the site with gunicorn"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址 / address:port")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数 / worker processes")
        parser.add_argument("--threads", type=int, default=1, help="每进程线程数 / threads per worker")
        parser.add_argument("--no-access-log", action="store_true", help="不输出访问日志 / no access log")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="同时启动后台任务进程（huey）及在线监控接收（若设置 SANXIANG_MONITORING_BIND）/ also run the background "
            "worker, and the HJ 212 listener when SANXIANG_MONITORING_BIND is set",
        )

    def handle(self, *args, bind, workers, threads, no_access_log, with_worker, **options):
        if problem := static_files_missing():
            raise CommandError(f"{problem}\n{STATIC_MISSING_HINT}")
        removed = sweep_temporaries()  # orphans of a crash before this start; the worker sweeps hourly after
        if any(removed.values()):
            self.stdout.write(f"已清理遗留临时文件 / removed orphaned temporaries: {removed}")
        metrics_folder_sweep()  # before the workers (and the background worker) start counting into it
        self.stdout.write(f"Sanxiang: http://{bind}/")
        helpers = []
        if with_worker:
            helpers.append(subprocess.Popen([sys.executable, "-m", "sanxiang", "run_huey"]))
            if settings.MONITORING_BIND:  # the HJ 212 listener, a process of its own (it is the one segment writer)
                self.stdout.write(f"在线监控数据接收 / HJ 212 listener: {settings.MONITORING_BIND}")
                listen = ["monitoring", "listen", "--bind", settings.MONITORING_BIND]
                helpers.append(subprocess.Popen([sys.executable, "-m", "sanxiang", *listen]))
        try:
            self._serve(bind, workers, threads, no_access_log)
        finally:
            for helper in helpers:
                helper.terminate()
            for helper in helpers:
                helper.wait(timeout=30)

    def _serve(self, bind, workers, threads, no_access_log):
        GunicornServer(
            {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "accesslog": None if no_access_log else "-",
                # gunicorn's default line, then the request's id (core.logs): the access line meets the app's lines
                "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
                "id=%({x-request-id}o)s",
                "timeout": 120,
                "child_exit": worker_exited,
                # Leave the request body to Django's own limits; large evidence uploads stream in chunks.
                "limit_request_line": 8190,
            },
            _site,
        ).run()
