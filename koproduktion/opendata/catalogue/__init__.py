"""The datasets of a town's open data: public records only, without personal data.

What stays out, everywhere: user ids, names and e-mail addresses of people, who wrote an idea
or a comment (not even the pseudonym: a contribution is published, its author is not), who
voted what (polls give their counted totals only), contact fields. What is in: records of
published projects of the town only; ideas and comments that are neither hidden by the
moderation nor withdrawn; polls whose results the public may see (``decisions.can_see_results``);
confirmed organisations and initiatives past their draft (docs/open-data.md).

To add a dataset (the support offers, say), ``register(Dataset(...))`` in a module here with its columns,
a ``rows`` function and the ``source`` and ``stamp`` that tell when its rows change; the ZIP, the
page's dictionary, the single downloads and the API pick it up.
"""

from importlib import import_module

# Each module registers its datasets; their order is the order of the files on the page, in
# the ZIP and in the API.
MODULES = ("projects", "contributions", "decisions", "implementation", "community", "support")
for _module in MODULES:
    import_module(f"{__name__}.{_module}")
