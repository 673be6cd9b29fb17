"""One module per ``pruning-catalog`` subcommand that renders the catalog (README, website)."""
