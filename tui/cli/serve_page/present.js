// descent serve --present: the server says in a ["present", {...}] message whether this page presents or watches.
// A watcher's terminal takes the presenter's size (xterm.js resized to it), scaled down where the window is smaller
// and centred where it is larger, under a line that says who presents; its keys and clicks are not sent (the
// server ignores them anyway). Without --present no such message comes and this script changes nothing.
(function () {
  "use strict";
  let terminal = null; // xterm.js's Terminal, caught as textual.js assigns it (as tests/serve/test_browser.py does)
  let owner = null; // textual.js's object holding it: its fit() follows the window, which a watcher must not
  let ownFit = null;
  let role = null;
  let size = null;

  const previous = Object.getOwnPropertyDescriptor(Object.prototype, "terminal");
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      if (previous && previous.set) previous.set.call(this, value);
      else Object.defineProperty(this, "terminal", { value, writable: true, configurable: true, enumerable: true });
      if (!terminal && value && value.buffer && value.options) {
        terminal = value;
        owner = this;
        if (size) present({ role, width: size.cols, height: size.rows, presenter: line().dataset.presenter });
      }
    },
  });

  function line() {
    return document.getElementById("descent-presenting");
  }

  function letterbox() {
    if (!terminal || !terminal.element || !size) return;
    if (terminal.cols !== size.cols || terminal.rows !== size.rows) terminal.resize(size.cols, size.rows);
    const screen = terminal.element.querySelector(".xterm-screen");
    const top = line().hidden ? 0 : line().offsetHeight;
    const width = screen ? screen.offsetWidth : 0;
    const height = screen ? screen.offsetHeight : 0;
    if (!width || !height) return;
    const scale = Math.min(1, window.innerWidth / width, (window.innerHeight - top) / height);
    const left = Math.max(0, (window.innerWidth - width * scale) / 2);
    terminal.element.style.transformOrigin = "0 0";
    terminal.element.style.transform = `translate(${left}px, ${top}px) scale(${scale})`;
  }

  function present(info) {
    role = info.role;
    const shown = line();
    if (role === "watcher") {
      size = { cols: info.width, rows: info.height };
      shown.dataset.presenter = info.presenter;
      shown.textContent = `${info.presenter} presents: you are watching (your keys and clicks are not sent)`;
      shown.hidden = false;
      if (owner && !ownFit) {
        ownFit = owner.fit;
        owner.fit = letterbox;
      }
      letterbox();
      return;
    }
    size = null;
    shown.hidden = true;
    document.title = `descent: you present (${info.watchers} watching)`;
    if (owner && ownFit) {
      owner.fit = ownFit;
      ownFit = null;
      if (terminal && terminal.element) terminal.element.style.transform = "";
      owner.fit();
    }
  }

  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(url, protocols) {
      const name = new URLSearchParams(window.location.search).get("name");
      if (name) url += (url.includes("?") ? "&" : "?") + "name=" + encodeURIComponent(name);
      super(url, protocols);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        let message = null;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (Array.isArray(message) && message[0] === "present" && message[1]) present(message[1]);
      });
    }
    send(data) {
      if (role === "watcher" && typeof data === "string" && !data.startsWith('["ping"')) return;
      super.send(data);
    }
  };
  window.addEventListener("resize", letterbox);
})();
