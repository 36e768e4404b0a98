"""descent's terminal front: the `descent` command, its headless `run`, and the Textual app."""
