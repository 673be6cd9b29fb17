"""Settings of one link-check run: endpoints, token, pacing, caps.

Every endpoint can be pointed elsewhere (by flag or environment variable) so that tests and the
benchmark run against a local emulator and never touch the network. The token is held here and
handed only to the GitHub API client; ``__repr__`` hides it so it never reaches a log.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

ENV = {
    "github_api": "PRUNING_CATALOG_GITHUB_API",
    "github_graphql": "PRUNING_CATALOG_GITHUB_GRAPHQL",
    "github_web": "PRUNING_CATALOG_GITHUB_WEB",
    "arxiv_api": "PRUNING_CATALOG_ARXIV_API",
    "arxiv_web": "PRUNING_CATALOG_ARXIV_WEB",
    "arxiv_delay": "PRUNING_CATALOG_ARXIV_DELAY",
    "web_interval": "PRUNING_CATALOG_WEB_INTERVAL",
    "checkpoint_every": "PRUNING_CATALOG_CHECKPOINT_EVERY",
}
SECONDS = frozenset({"arxiv_delay", "web_interval", "checkpoint_every"})  # variables that hold a number of seconds
DEFAULTS = {
    "github_api": "https://api.github.com",
    "github_graphql": "https://api.github.com/graphql",
    "github_web": "https://github.com",
    "arxiv_api": "https://export.arxiv.org/api/query",
    "arxiv_web": "https://arxiv.org",
}


@dataclass(frozen=True)
class CheckConfig:
    github_api: str = DEFAULTS["github_api"]
    github_graphql: str = DEFAULTS["github_graphql"]
    github_web: str = DEFAULTS["github_web"]
    arxiv_api: str = DEFAULTS["arxiv_api"]
    arxiv_web: str = DEFAULTS["arxiv_web"]
    arxiv_delay: float = 3.0  # arXiv terms of use: one request every 3 s
    token: str | None = field(default=None, repr=False)
    timeout: float = 20.0
    max_wait: float = 60.0
    max_attempts: int = 3
    web_interval: float = 1.0  # github.com pages and other hosts: at least this far apart
    github_batch: int = 100  # repositories per GraphQL query: scalar fields only, so one point per query
    arxiv_batch: int = 100  # ids per arXiv API call
    web_budget: int = 50  # github.com page requests one run may spend without a token (1 s each)
    workers: int = 8  # hosts checked at once (each host alone is sequential)
    checkpoint_every: float = 5.0  # seconds between saves of finished results to the cache during a run
    # Benchmark hook: rewrite a generic URL before requesting it (e.g. to a local emulator).
    rewrite: Callable[[str], str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> CheckConfig:
        """Defaults, then environment variables, then explicit overrides (flags); None means "not given"."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, var in ENV.items():
            if env.get(var):
                values[name] = _seconds(var, env[var]) if name in SECONDS else env[var].rstrip("/")
        token = env.get("GITHUB_TOKEN", "").strip()
        if token:
            values["token"] = token
        values.update({k: (v.rstrip("/") if isinstance(v, str) and k in DEFAULTS else v) for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def is_github_api(self, url: str) -> bool:
        """True only for URLs under the GitHub REST or GraphQL base: the only place the token may go."""
        return any(url == base or url.startswith(base.rstrip("/") + "/") for base in (self.github_api, self.github_graphql))


def _seconds(var: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{var}: not a number of seconds: {text!r}") from None
    if not value >= 0:  # also rejects nan
        raise ValueError(f"{var}: must be a number of seconds >= 0, not {text!r}")
    return value
