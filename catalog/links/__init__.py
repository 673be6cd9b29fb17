"""The link checker: verify every paper and code link of a Catalog politely and without false alarms.

Modules, one job each: ``config`` (endpoints, token, pacing), ``targets`` (normalise,
de-duplicate, local arXiv id checks), ``http``
(sessions, pacing, retries, waits), ``github``, ``arxiv``, ``generic`` (one checker per host
family), ``cache``, ``titles``, ``results`` (result classes), ``report`` (text, JSON, Markdown),
``progress`` and ``checker`` (orchestration).
"""
