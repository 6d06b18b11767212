"""Public certificate check page under load, against a bare constant-string view in the same run.

Target (issue 2): ≥ 500 requests/s from one server process on the 2-core machine, ratio to the bare view ≥ 0.5.
"""

from bench.common import installation, sanxiang, server, write_result, wrk

# A valid demo certificate of 哈尔滨市生态环境局 (its number depends on the day the demo data was loaded).
FIND_NUMBER = (
    "from sanxiang.agencies.models import Certificate; import datetime as d; "
    "print(Certificate.objects.valid_on(d.date.today()).filter(agency__code='230100').first().number)"
)


def run(seconds: int = 10) -> dict:
    with installation() as env, server(env, workers=1) as base:
        number = sanxiang(env, "shell", "--no-imports", "-c", FIND_NUMBER).strip()
        wrk(f"{base}/healthz", seconds=2)  # warm-up
        wrk(f"{base}/verify/officer/{number}/", seconds=2)
        bare = wrk(f"{base}/healthz", seconds=seconds)
        page = wrk(f"{base}/verify/officer/{number}/", seconds=seconds)
    ratio = page["requests_per_second"] / bare["requests_per_second"]
    result = {
        "bare_view": bare,
        "certificate_check": page,
        "ratio": round(ratio, 3),
        "targets": {"requests_per_second": 500, "ratio": 0.5},
        "passed": page["requests_per_second"] >= 500 and ratio >= 0.5,
    }
    write_result("portal_check", result)
    return result
