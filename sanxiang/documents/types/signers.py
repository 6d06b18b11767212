"""Who signs which record on the spot (docs/domain.md §10.1), with the articles that require it.

A record is signed by its principal (the party, the person questioned, the person served), or, when they refuse or
are absent, the refusal is noted by the officers and a witness signs; and by the officers who made it — as many as
the rule `officers.min` requires (two), or `officers` when the type names its own number (the one who serves).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signers:
    principal: str  # SignerRole of the one the record is about
    citation: str
    officers: int | None = None  # None: the rule officers.min


REFUSAL = "《环境行政处罚办法》第四十三条"  # a refusal to sign does not invalidate what was recorded
SIGNERS = {
    "inspection_record": Signers("party", f"《行政处罚法》第五十五条；《行政强制法》第十八条；{REFUSAL}"),
    "inquiry_record": Signers("interviewee", f"《行政处罚法》第五十五条；{REFUSAL}"),
    "seizure_list": Signers("party", "《行政强制法》第十八条、第二十四条；《查封扣押办法》第十二条、第十四条"),
    "service_receipt": Signers("party", "《行政处罚法》第六十一条", officers=1),
}
