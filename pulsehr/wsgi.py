import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulsehr.settings")
application = get_wsgi_application()

from pulsehr.secretkey import refuse_insecure_key  # noqa: E402

# Production (DEBUG off) serves nothing signed with a key anyone could know.
refuse_insecure_key()
