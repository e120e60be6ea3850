"""Excel imports of org on the shared framework (core.imports): the roster (`roster`, with its
rows' rules in `roster_rows`)."""
