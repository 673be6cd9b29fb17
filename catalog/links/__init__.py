"""The link checker: verify every paper and code link of a Catalog politely and without false alarms.

Modules, one job each: ``config`` (endpoints, token, pacing), ``targets`` (links normalised to
de-duplicated targets; identifiers come from :mod:`catalog.identifiers`), ``http`` (sessions,
pacing, retries, waits, bounded bodies, the stop flag), ``registry`` (the checker protocol and
the family registry), ``github``, ``arxiv``, ``generic`` (one registered checker per host
family), ``cache``, ``titles``, ``results`` (verdicts and result records), ``report`` (text,
JSON, Markdown), ``progress`` and ``checker`` (orchestration, checkpoints, interrupts).

Adding a host family: give :func:`catalog.links.targets.classify_url` a function that
recognises its links (``family="name"``), write a class with ``__init__(context)`` and
``check(targets) -> {key: TargetResult}`` that calls ``context.done`` for each final verdict,
decorate it with ``@register("name", rank=...)``, and import its module in ``checker``.
"""
