// The console of ivschat-local: rooms, logging configurations, a live view of a room over the
// emulator's own chat WebSocket, connected users, faults and the request log. It calls the
// console API with the token in the page's URL fragment; everything shown from the emulator
// goes in as text, never as markup.
"use strict";

const token = decodeURIComponent(location.hash.slice(1));
const state = { room: null, socket: null };

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(label, className, onClick) {
  const node = element("button", label, className);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function showStatus(text, failed) {
  $("status").textContent = text;
  $("status").className = failed ? "error" : "";
}

async function api(path, method = "GET", body) {
  const response = await fetch(`/_emulator/console/${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const value = text ? JSON.parse(text) : {};
  if (!response.ok) {
    throw new Error(`${response.status}: ${value.message || text}`);
  }
  return value;
}

const call = (operation, input) => api(`api/${operation}`, "POST", input);

async function guarded(action) {
  try {
    await action();
    showStatus("ready", false);
  } catch (error) {
    showStatus(String(error.message || error), true);
  }
}

async function refreshRooms() {
  const { rooms } = await call("ListRooms", { maxResults: 50 });
  const list = $("rooms");
  list.replaceChildren(
    ...rooms.map((room) => {
      const item = element("li", `${room.name || "(no name)"} · ${room.id}`);
      item.dataset.arn = room.arn;
      if (state.room === room.arn) item.classList.add("selected");
      const rename = element("input");
      rename.className = "rename";
      rename.placeholder = "new name";
      rename.maxLength = 128;
      item.append(
        rename,
        button("Rename", "rename-room", () =>
          guarded(async () => {
            await call("UpdateRoom", { identifier: room.arn, name: rename.value.trim() });
            await refreshRooms();
          })),
        button("Open", "open-room", () => guarded(() => openRoom(room.arn, room.name))),
        button("Delete", "delete-room", () =>
          guarded(async () => {
            await call("DeleteRoom", { identifier: room.arn });
            await refreshRooms();
          })),
      );
      return item;
    }),
  );
}

async function refreshLogging() {
  const { loggingConfigurations } = await call("ListLoggingConfigurations", { maxResults: 50 });
  $("logging").replaceChildren(
    ...loggingConfigurations.map((configuration) => {
      const item = element("li", `${configuration.name || "(no name)"} · ${configuration.state}`);
      const rename = element("input");
      rename.className = "rename";
      rename.placeholder = "new name";
      rename.maxLength = 128;
      item.append(
        rename,
        button("Rename", "rename-logging", () =>
          guarded(async () => {
            await call("UpdateLoggingConfiguration", {
              identifier: configuration.arn, name: rename.value.trim(),
            });
            await refreshLogging();
          })),
        button("Delete", "delete-logging", () =>
          guarded(async () => {
            await call("DeleteLoggingConfiguration", { identifier: configuration.arn });
            await refreshLogging();
          })),
      );
      return item;
    }),
  );
}

function addLive(kind, text, messageId) {
  const item = element("li");
  item.append(element("span", kind, "kind"), document.createTextNode(text));
  if (messageId) {
    item.dataset.messageId = messageId;
    item.append(
      button("Delete", "delete-message", () =>
        guarded(() => call("DeleteMessage", {
          roomIdentifier: state.room, id: messageId, reason: "deleted in the console",
        }))),
    );
  }
  $("live").append(item);
  $("live").scrollTop = $("live").scrollHeight;
}

function showFrame(frame) {
  if (frame.Type === "MESSAGE") {
    addLive("message", `${frame.Sender?.UserId}: ${frame.Content}`, frame.Id);
  } else if (frame.Type === "EVENT" && frame.EventName === "aws:DELETE_MESSAGE") {
    addLive("deleted", `${frame.Attributes?.MessageID} (${frame.Attributes?.Reason || "no reason"})`);
  } else if (frame.Type === "EVENT" && frame.EventName === "aws:DISCONNECT_USER") {
    addLive("kicked", `${frame.Attributes?.UserId} (${frame.Attributes?.Reason || "no reason"})`);
  } else if (frame.Type === "EVENT") {
    addLive("event", `${frame.EventName} ${JSON.stringify(frame.Attributes || {})}`);
  } else if (frame.Type === "ERROR") {
    addLive("error", `${frame.ErrorCode} ${frame.ErrorMessage}`);
  }
}

async function openRoom(arn, name) {
  if (state.socket) state.socket.close();
  state.room = arn;
  $("room-title").textContent = name || arn;
  $("live").replaceChildren();
  const chat = await call("CreateChatToken", {
    roomIdentifier: arn,
    userId: "console",
    capabilities: ["SEND_MESSAGE", "DELETE_MESSAGE", "DISCONNECT_USER"],
  });
  const socket = new WebSocket(`ws://${location.host}/`, chat.token);
  state.socket = socket;
  socket.addEventListener("open", () => addLive("state", "watching"));
  socket.addEventListener("close", () => {
    if (state.socket === socket) addLive("state", "closed");
  });
  socket.addEventListener("message", (event) => showFrame(JSON.parse(event.data)));
  await refreshRooms();
}

async function refreshUsers() {
  const { connections } = await api("connections");
  const here = connections.filter((connection) => connection.roomArn === state.room);
  $("users").replaceChildren(
    ...here.map((connection) => {
      const capabilities = connection.capabilities.join(", ") || "view only";
      const item = element(
        "li",
        `${connection.userId} · ${capabilities} · until ${connection.sessionExpirationTime}`,
      );
      item.dataset.userId = connection.userId;
      item.append(
        button("Disconnect", "disconnect-user", () =>
          guarded(() => call("DisconnectUser", {
            roomIdentifier: state.room, userId: connection.userId, reason: "by the console",
          }))),
      );
      return item;
    }),
  );
}

async function refreshFaults() {
  const { faults } = await api("faults");
  $("faults").replaceChildren(
    ...faults.map((rule) =>
      element("li", `${rule.fault} × ${rule.left}${rule.operation ? ` on ${rule.operation}` : ""}`)),
  );
}

async function refreshRequests() {
  const { requests } = await api("requests");
  $("requests").replaceChildren(
    ...requests.slice(-50).reverse().map((request) => {
      const row = element("tr");
      if (request.status === null || request.status >= 400) row.className = "refused";
      for (const value of [
        request.time.slice(11, 23), request.operation, request.status ?? "—",
        request.latencyMs, request.reason || "",
      ]) {
        row.append(element("td", String(value)));
      }
      return row;
    }),
  );
}

function onSubmit(id, action) {
  $(id).addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(action);
  });
}

onSubmit("create-room-form", async () => {
  const name = $("room-name").value.trim();
  await call("CreateRoom", name ? { name } : {});
  $("room-name").value = "";
  await refreshRooms();
});

onSubmit("create-logging-form", async () => {
  await call("CreateLoggingConfiguration", {
    name: $("logging-name").value.trim() || undefined,
    destinationConfiguration: { s3: { bucketName: $("logging-bucket").value.trim() } },
  });
  await refreshLogging();
});

onSubmit("send-message-form", async () => {
  if (!state.socket || state.socket.readyState !== WebSocket.OPEN) {
    throw new Error("open a room first");
  }
  state.socket.send(JSON.stringify({
    Action: "SEND_MESSAGE",
    // randomUUID needs a secure context: loopback is one, a LAN address is not.
    RequestId: crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`,
    Content: $("message-text").value,
  }));
  $("message-text").value = "";
});

onSubmit("send-event-form", async () => {
  await call("SendEvent", { roomIdentifier: state.room, eventName: $("event-name").value.trim() });
});

onSubmit("fault-form", async () => {
  const operation = $("fault-operation").value.trim();
  await api("faults", "POST", {
    fault: $("fault-name").value,
    count: Number($("fault-count").value) || 1,
    operation: operation || undefined,
  });
  await refreshFaults();
});

$("clear-faults").addEventListener("click", () =>
  guarded(async () => {
    await api("faults", "DELETE");
    await refreshFaults();
  }));

async function tick() {
  await guarded(async () => {
    await Promise.all([refreshUsers(), refreshRequests(), refreshFaults()]);
  });
  setTimeout(tick, 1000);
}

if (!token) {
  showStatus("no console token: open the URL the emulator printed at start", true);
} else {
  guarded(async () => {
    await Promise.all([refreshRooms(), refreshLogging()]);
  }).then(tick);
}
