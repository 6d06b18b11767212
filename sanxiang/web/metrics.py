"""/metrics — the operator's view of the installation in Prometheus' text format: what the processes counted
(core.metrics: time per view, failed background tasks) and, read when scraped, the state that needs someone —
background tasks waiting, the age of the newest signed checkpoint and the entries it does not cover yet, the last
integrity scrub's failures, and each agency's overdue cases.

Off unless SANXIANG_METRICS_TOKEN is set (404, as if absent); then only with `Authorization: Bearer <token>` (401
otherwise). Nothing personal is exposed: agencies by code, views by URL name, tasks by name."""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from sanxiang.cases.models import OPEN_STAGES, Case
from sanxiang.core.middleware import second_factor_exempt
from sanxiang.evidence.models import ScrubReport
from sanxiang.ledger.selectors import latest_checkpoint, log_size


class InstallationState:
    """A collector read at each scrape: a handful of small queries, no request does them otherwise."""

    def collect(self):
        now = timezone.now()
        yield _gauge("sanxiang_background_queue_depth", "Background tasks waiting to run", HUEY.pending_count())
        checkpoint, size = latest_checkpoint(), log_size()
        yield _gauge(
            "sanxiang_ledger_unsigned_entries",
            "Ledger entries no signed checkpoint covers yet",
            size - (checkpoint.size if checkpoint else 0),
        )
        if checkpoint is not None:
            yield _gauge(
                "sanxiang_ledger_checkpoint_age_seconds",
                "Seconds since the newest signed checkpoint",
                (now - checkpoint.created_at).total_seconds(),
            )
        report = ScrubReport.objects.first()
        if report is not None:
            failures = GaugeMetricFamily(
                "sanxiang_scrub_failures",
                "Stored files the last integrity scrub found missing or altered",
                labels=["kind"],
            )
            failures.add_metric(["missing"], len(report.missing))
            failures.add_metric(["corrupted"], len(report.corrupted))
            yield failures
            yield _gauge(
                "sanxiang_scrub_age_seconds",
                "Seconds since the last integrity scrub finished",
                (now - report.finished_at).total_seconds(),
            )
        overdue = GaugeMetricFamily(
            "sanxiang_cases_overdue", "Open cases past their next legal deadline, by agency code", labels=["agency"]
        )
        late = (
            Case.objects.filter(stage__in=OPEN_STAGES, next_due_on__lt=timezone.localdate())
            .values_list("agency__code")
            .annotate(count=Count("id"))
            .order_by("agency__code")
        )
        for code, count in late:
            overdue.add_metric([code], count)
        yield overdue


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


_STATE = InstallationState()
_OWN = CollectorRegistry()  # the state alone, beside the default registry when the counts are this process's own
_OWN.register(_STATE)


@login_not_required
@second_factor_exempt
@never_cache
def metrics(request):
    """The text a Prometheus server scrapes (see the module's docstring for who may)."""
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    offered = request.headers.get("Authorization", "")
    if not hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("401 Unauthorized\n", status=401, content_type="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # several processes: sum what each wrote
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_STATE)
        return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    return HttpResponse(generate_latest(REGISTRY) + generate_latest(_OWN), content_type=CONTENT_TYPE_LATEST)
