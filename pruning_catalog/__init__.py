"""The ``pruning-catalog`` application: the command registry and the console script.

It sits above both libraries: ``catalog`` (what a paper is) and ``site_builder`` (how a catalog
looks) each provide command modules, and only this package knows the list of them. Neither
library imports this package.
"""
