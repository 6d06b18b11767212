import os

from django.core.wsgi import get_wsgi_application

from sanxiang.core.files import restrict_process

restrict_process()  # a server embedding this application creates owner-only files too
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
application = get_wsgi_application()
