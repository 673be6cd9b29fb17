"""Importers: the only code that reads something other than paper YAML (here, Markdown lists)."""
