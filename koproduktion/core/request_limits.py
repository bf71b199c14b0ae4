"""Why a request was refused for its size, in the person's language.

Django stops reading a request at ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the body without uploaded
files), ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` and ``DATA_UPLOAD_MAX_NUMBER_FILES`` and raises; the
pages' 400 handler (``core.views.bad_request``) and the API's handlers turn that into an answer
with the reason: 413 for a body too large, 400 for too many fields or files.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

REFUSED_FOR_SIZE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def size_refusal(exception: BaseException | None) -> tuple[int, str] | None:
    """(status, reason) when ``exception`` is Django refusing the request's size, else None."""
    if isinstance(exception, RequestDataTooBig):
        return 413, _(
            "Die gesendeten Daten sind zu groß (höchstens %(size)s ohne Dateien). "
            "Bitte kürzen Sie Ihre Angaben."
        ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    if isinstance(exception, TooManyFieldsSent):
        return 400, _("Die Anfrage enthält zu viele Felder (höchstens %(count)d).") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    if isinstance(exception, TooManyFilesSent):
        return 400, _("Die Anfrage enthält zu viele Dateien (höchstens %(count)d).") % {
            "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    return None
