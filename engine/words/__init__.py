"""A run in words: why it went as it did, a race's verdict, the tour's stops."""
