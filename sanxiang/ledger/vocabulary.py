"""The words of the log: how a subject is named in an entry, what each action is called on a page, and which access
gate decides who may read an object's history. Each app registers its own actions and gates at start-up
(AppConfig.ready), so the pages that show entries need not import the apps that wrote them.
"""

from __future__ import annotations

from django.db import models

from sanxiang.core import hooks

ACTION_LABELS = hooks.registry(
    "ledger.action_labels", doc='action ("case.file") → the label staff read in histories and on the audit page'
)
ROLE_LABELS = hooks.registry(
    "ledger.role_labels", doc='role ("officer") → its name, as a refused move names the roles that may take it'
)
INTERNAL_ACTIONS = hooks.registry(
    "ledger.internal_actions",
    doc='action ("document.issue") → why its entries are never shown to the public: such an entry may not be '
    "appended public, and one written public before the action was made internal is read as internal",
)
HISTORY_GATES = hooks.registry(
    "ledger.history_gates",
    doc='subject type ("cases.case") → (access gate, name of its id argument), e.g. (case_get_for_user, '
    '"case_id"): whoever the gate lets see the object may read its history; it raises Http404 otherwise',
)


def subject_type(subject: models.Model | type[models.Model]) -> str:
    """The name under which a model's objects are recorded: its app label and model name, unless the model keeps
    the name its entries were first written under (`ledger_subject`), as a model moved to another app does — an
    object's history must not split in two because code moved."""
    return getattr(subject, "ledger_subject", None) or subject._meta.label_lower


def roles_text(roles) -> str:
    """Role names as a page reads them: "负责人、公示管理员"."""
    return "、".join(str(ROLE_LABELS.get(role, role)) for role in sorted(roles))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def is_public(entry) -> bool:
    """Whether anyone may read `entry`: marked public when written, and of an action that is not internal."""
    return entry.public and entry.action not in INTERNAL_ACTIONS
