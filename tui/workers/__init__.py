"""The generators the app pulls in threads, and the messages they post to the screens."""
