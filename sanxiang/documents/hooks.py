"""What documents needs from the apps above it (core.hooks): the officers of the act a document records."""

from sanxiang.core import hooks

act_officers = hooks.registry(
    "documents.act_officers",
    doc="The officers who took part in the act a document records, by the document's subject type ('cases.inspection'): "
    "handler(subject_id: str) -> list of users. They alone record signatures on it; cases registers its acts.",
)
