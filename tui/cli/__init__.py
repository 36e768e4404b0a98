"""The `descent` command: options and settings sources, `descent run` (single and race), reports, serve. No Textual at import."""
