// A websocket that reconnects with backoff and hands every JSON message to `onMessage`.
//
// The page says whether it is listening: <html data-live="open"> once every socket it opened is connected (from
// then on it hears every change), "connecting" while one is not. The browser tests wait on it.
const sockets = new Set();

function markLive() {
  const open = [...sockets].every((socket) => socket.readyState === WebSocket.OPEN);
  document.documentElement.dataset.live = open ? "open" : "connecting";
}

export function connectLive(path, onMessage, { onStatus = () => {} } = {}) {
  let socket = null;
  let delay = 500;
  let stopped = false;

  function open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    sockets.delete(socket);
    socket = new WebSocket(`${scheme}://${location.host}${path}`);
    sockets.add(socket);
    markLive();
    socket.addEventListener("open", () => { delay = 500; markLive(); onStatus("live"); });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      if (stopped) return;
      markLive();
      onStatus("reconnecting");
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 10000);
    });
  }
  open();
  return {
    close() {
      stopped = true;
      sockets.delete(socket);
      socket?.close();
      markLive();
    },
  };
}
