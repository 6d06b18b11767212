from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """执法文书: the standard forms, their templates, numbering (文号), rendering and public verification."""

    name = "sanxiang.documents"
    label = "documents"
