"""`make bench`: run the benchmarks and write their figures to bench/results/."""

import argparse
import json

from bench import (
    attest,
    cases,
    evidence,
    exchange,
    gm,
    inspections,
    ledger,
    licensing,
    login,
    monitoring,
    pages,
    portal_check,
    publicity,
    reports,
    restore,
    s3,
    search,
    servers,
    uploads,
)

BENCHMARKS = {
    "portal_check": portal_check.run,
    "ledger": ledger.run,
    "cases": cases.run,
    "search": search.run,
    "evidence": evidence.run,
    "s3": s3.run,
    "publicity": publicity.run,
    "inspections": inspections.run,
    "licensing": licensing.run,
    "reports": reports.run,
    "login": login.run,
    "restore": restore.run,
    "uploads": uploads.run,
    "pages": pages.run,
    "servers": servers.run,
    "exchange": exchange.run,
    "monitoring": monitoring.run,
    "attest": attest.run,
    "gm": gm.run,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    names = parser.parse_args().names or list(BENCHMARKS)
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))}")
    failed = []
    for name in names:
        result = BENCHMARKS[name]()
        print(name, json.dumps(result, ensure_ascii=False, indent=2))
        passed = result.get("passed", True)
        if not (all(passed.values()) if isinstance(passed, dict) else passed):
            failed.append(name)
    if failed:
        raise SystemExit(f"below target: {', '.join(failed)}")


if __name__ == "__main__":
    main()
