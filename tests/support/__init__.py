"""Shared test helpers: paper factories, the GitHub/arXiv emulator, the browser fixture."""
