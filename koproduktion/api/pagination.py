"""The API's page numbers: django-ninja's, with a ceiling.

A page number becomes the database's OFFSET, and a number past what it can hold (``page=10**20``)
is a server error there. No list of ours has a millionth page, so the ceiling refuses such a
number as an invalid parameter (422) before any query.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class PageNumbers(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        # django-ninja caps it at its PAGINATION_MAX_PER_PAGE_SIZE, so it cannot overflow.
        page_size: int | None = Field(None, ge=1)
