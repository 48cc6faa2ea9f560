// A websocket that reconnects with backoff and hands every JSON message to `onMessage`.
export function connectLive(path, onMessage, { onStatus = () => {} } = {}) {
  let socket = null;
  let delay = 500;
  let stopped = false;

  function open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${path}`);
    socket.addEventListener("open", () => { delay = 500; onStatus("live"); });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      onStatus("reconnecting");
      if (!stopped) setTimeout(open, delay);
      delay = Math.min(delay * 2, 10000);
    });
  }
  open();
  return { close() { stopped = true; socket?.close(); } };
}
