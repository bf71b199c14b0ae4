import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koproduktion.settings")

application = get_wsgi_application()

# What loading the app made (modules, models, URL patterns, settings) lives as long as the
# process: out of the garbage collector's sight, so that its rounds during requests do not walk
# it again each time. About a tenth of a logged-in page's time (bench/RESULTS.md).
gc.freeze()
