"""The department inbox (``inbox``) and the public response times (``response_times``)."""

from .inbox import answer_view, inbox_view, reassign_view, status_view
from .response_times import response_times_csv_view, response_times_view

__all__ = [
    "answer_view",
    "inbox_view",
    "reassign_view",
    "response_times_csv_view",
    "response_times_view",
    "status_view",
]
