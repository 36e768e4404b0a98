"""The points a run fits: built-in or read from a CSV, standardized, cast, sized against memory."""
