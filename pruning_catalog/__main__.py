"""``python -m pruning_catalog`` runs the ``pruning-catalog`` command line."""

import sys

from pruning_catalog.cli import main

sys.exit(main())
