from huey.contrib.djhuey import db_task

from sanxiang.documents.services import document_render_pdf


@db_task(retries=2, retry_delay=30)
def render_pdf(document_id: int):
    document_render_pdf(document_id=document_id)
