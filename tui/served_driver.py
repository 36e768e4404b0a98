"""The driver of an app `descent serve` starts: Textual's web driver, plus one message of its own.

`descent serve --present` shows one app to many browsers; a browser that joins late has missed the screen drawn
so far, and Textual redraws only what changes. On a `{"type": "repaint"}` meta message (which Textual's own driver
ignores) this driver has the whole screen drawn again, through the public App.refresh(). Every other message is
the web driver's. `descent serve` names this class in TEXTUAL_DRIVER.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.drivers.web_driver import WebDriver


class ServedWebDriver(WebDriver):
    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.served_app = app  # the driver's own reference is private

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "repaint":
            # This runs on the driver's input thread: call_later posts a message, which is safe from any thread.
            self.served_app.call_later(self.served_app.refresh)
            return
        super().on_meta(packet_type, payload)
