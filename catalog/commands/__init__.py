"""One module per ``pruning-catalog`` subcommand (MkDocs' ``commands/`` layout)."""
