/*
 * IntegrationHub web chat widget. Embed with one tag:
 *   <script src="https://hub.example.com/widget.js" data-site="web" async></script>
 * Identified visitors: set window.IntegrationHubUser = { externalId, email, name, userHash }
 * before the tag (userHash = hex HMAC-SHA256 of externalId, or email, keyed with the site secret).
 *
 * Delivery rule: every message has a per-conversation sequence number. The widget shows each
 * number once, and the live stream resumes after the last one shown, so reconnects lose nothing
 * and double nothing.
 */
(() => {
  "use strict";
  if (window.IntegrationHubWidget) return;

  const script = document.currentScript || document.querySelector("script[src*='widget.js']");
  const hub = new URL(script.src).origin;
  const siteId = script.dataset.site || "web";
  const storageKey = `integrationhub:${hub}:${siteId}`;
  const typingIdleMs = 4000;

  const saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
  const state = {
    token: saved.token || null,
    conversationId: saved.conversationId || null,
    site: null,
    lastSeq: 0,
    shown: new Set(),          // sequence numbers already rendered
    pending: new Map(),        // clientMessageId -> element, until the hub confirms
    agentReadSeq: 0,
    events: null,
    reconnectDelay: 1000,
    typingSentAt: 0,
    typingTimer: null,
    captureContact: false,
  };

  // ---------- DOM ----------
  const host = document.createElement("div");
  host.id = "integrationhub-widget";
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `
    <link rel="stylesheet" href="${hub}/widget.css">
    <button type="button" class="launcher" aria-expanded="false" aria-controls="ih-panel">
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>
      <span class="launcher-label">Chat with us</span>
    </button>
    <section id="ih-panel" class="panel" role="dialog" aria-modal="false" aria-labelledby="ih-title" hidden>
      <header>
        <h2 id="ih-title">Chat</h2>
        <button type="button" class="close" aria-label="Close chat">×</button>
      </header>
      <p class="greeting"></p>
      <div class="log-region" role="log" aria-live="polite" aria-relevant="additions" aria-label="Conversation"><ol class="log" tabindex="0" aria-label="Messages"></ol></div>
      <p class="typing" aria-live="polite"></p>
      <p class="status" role="status" aria-live="polite"></p>
      <form class="offline" hidden>
        <p class="offline-text">Leave your details and we will reply by email.</p>
        <label for="ih-name">Your name (optional)</label>
        <input id="ih-name" name="name" autocomplete="name">
        <label for="ih-email">Your email</label>
        <input id="ih-email" name="email" type="email" autocomplete="email" required aria-describedby="ih-email-error">
        <p id="ih-email-error" class="error" aria-live="assertive"></p>
        <label for="ih-offline-message">Your message (optional)</label>
        <textarea id="ih-offline-message" name="message" rows="2"></textarea>
        <button type="submit">Send my details</button>
      </form>
      <form class="composer">
        <label for="ih-input" class="visually-hidden">Message</label>
        <textarea id="ih-input" rows="2" placeholder="Type your message…" aria-describedby="ih-hint"></textarea>
        <p id="ih-hint" class="visually-hidden">Press Enter to send, Shift+Enter for a new line.</p>
        <div class="actions">
          <label class="attach" for="ih-file">Attach file</label>
          <input id="ih-file" type="file" class="visually-hidden">
          <span class="attached" aria-live="polite"></span>
          <button type="submit" class="send">Send</button>
        </div>
      </form>
    </section>`;
  const $ = (selector) => root.querySelector(selector);
  const launcher = $(".launcher"), panel = $(".panel"), log = $(".log"), input = $("#ih-input");
  const statusLine = $(".status"), typingLine = $(".typing"), composer = $(".composer"), offline = $(".offline");
  const fileInput = $("#ih-file"), attachedLine = $(".attached");
  let attachments = [];

  // ---------- HTTP ----------
  async function api(method, path, body) {
    const headers = { Accept: "application/json" };
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const init = { method, headers };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    const response = await fetch(`${hub}${path}`, init);
    if (response.status === 204) return null;
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.detail || data.title || `request failed (${response.status})`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function persist() {
    localStorage.setItem(storageKey, JSON.stringify({ token: state.token, conversationId: state.conversationId }));
  }

  async function startSession() {
    const session = await api("POST", "/api/webchat/sessions", {
      siteId, visitorToken: state.token, user: window.IntegrationHubUser || null,
    });
    state.token = session.visitorToken;
    state.site = session.site;
    if (session.conversation && !state.conversationId) state.conversationId = session.conversation.id;
    persist();
    $("#ih-title").textContent = session.site.title;
    $(".greeting").textContent = session.site.greeting;
    // Nobody can answer: say so at once, but leave focus where the visitor is typing.
    if (session.availability.offline && !state.conversationId) { showOffline(true); setStatus(session.site.offlineMessage); }
    return session;
  }

  // One session at a time: every call waits for it, and a 401 renews it once for all callers.
  let session = null;
  function ensureSession(renew = false) {
    if (!session || renew) session = startSession().catch((error) => { session = null; throw error; });
    return session;
  }

  async function call(method, path, body) {
    const current = ensureSession();
    await current;
    try {
      return await api(method, path, body);
    } catch (error) {
      if (error.status !== 401) throw error;
      await (session === current ? ensureSession(true) : session);
      return api(method, path, body);
    }
  }

  async function ensureConversation() {
    if (state.conversationId) return state.conversationId;
    const conversation = await call("POST", "/api/webchat/conversations");
    state.conversationId = conversation.id;
    persist();
    connect();
    return conversation.id;
  }

  // ---------- rendering ----------
  function authorLabel(message) {
    switch (message.author) {
      case "customer": return "You";
      case "bot": return "Assistant";
      case "agent": return message.authorName || "Agent";
      default: return "Notice";
    }
  }

  function render(message) {
    if (state.shown.has(message.sequence)) return;
    state.shown.add(message.sequence);
    state.lastSeq = Math.max(state.lastSeq, message.sequence);
    const pending = message.clientMessageId && state.pending.get(message.clientMessageId);
    const item = pending || document.createElement("li");
    if (pending) state.pending.delete(message.clientMessageId);
    const follow = followingLatest();
    fill(item, message);
    if (!pending) insertInOrder(item, message.sequence);
    if (follow) showLatest();
    updateReceipts();
    if (!panel.hidden) markRead();
  }

  function fill(item, message) {
    item.className = `message ${message.author}`;
    item.dataset.seq = message.sequence;
    item.replaceChildren();
    const who = document.createElement("span");
    who.className = "author";
    who.textContent = `${authorLabel(message)}: `;
    const body = document.createElement("span");
    body.className = "body";
    if (message.author === "bot") appendLinked(body, message.body);
    else body.textContent = message.body;
    item.append(who, body);
    if (message.survey) item.append(surveyForm());
    for (const file of message.attachments || []) {
      const link = document.createElement("a");
      link.href = `${hub}${file.url}?token=${encodeURIComponent(state.token)}`;
      link.textContent = `Attachment: ${file.fileName}`;
      link.target = "_blank";
      link.rel = "noopener";
      item.append(" ", link);
    }
  }

  // The satisfaction survey after a close: five rating buttons and an optional comment, answered once.
  function surveyForm() {
    const form = document.createElement("form");
    form.className = "survey";
    const comment = document.createElement("input");
    comment.type = "text";
    comment.maxLength = 4000;
    comment.placeholder = "Comment (optional)";
    comment.setAttribute("aria-label", "Comment");
    const result = document.createElement("span");
    result.className = "survey-result";
    for (let rating = 1; rating <= 5; rating++) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = String(rating);
      button.setAttribute("aria-label", `Rate ${rating} of 5`);
      button.addEventListener("click", async () => {
        form.querySelectorAll("button, input").forEach((el) => { el.disabled = true; });
        try {
          await call("POST", `/api/webchat/conversations/${state.conversationId}/csat`, { rating, comment: comment.value || null });
          result.textContent = "Thank you for your feedback.";
        } catch (error) {
          result.textContent = error.status === 409 ? "Thank you, we already have your answer." : error.message;
        }
      });
      form.append(button);
    }
    form.append(comment, result);
    return form;
  }

  // The bot cites its sources as plain text ("Source: Title (/knowledge/…)"): make those links clickable.
  // Only http(s) and the hub's own /knowledge/ pages become links; everything stays text otherwise.
  function appendLinked(container, text) {
    const pattern = /(https?:\/\/[^\s)]+|\/knowledge\/[^\s)]+)/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      container.append(text.slice(last, match.index));
      const link = document.createElement("a");
      link.href = match[0].startsWith("/") ? `${hub}${match[0]}` : match[0];
      link.textContent = match[0];
      link.target = "_blank";
      link.rel = "noopener";
      container.append(link);
      last = match.index + match[0].length;
    }
    container.append(text.slice(last));
  }

  // New messages come into view, unless the customer has scrolled up to read earlier ones.
  function followingLatest() { return log.scrollHeight - log.scrollTop - log.clientHeight < 48; }
  function showLatest() { log.scrollTop = log.scrollHeight; }

  function insertInOrder(item, seq) {
    const later = [...log.querySelectorAll("li[data-seq]")].find((li) => Number(li.dataset.seq) > seq);
    log.insertBefore(item, later || null);
  }

  function updateReceipts() {
    for (const li of log.querySelectorAll("li.customer[data-seq]")) {
      const seen = Number(li.dataset.seq) <= state.agentReadSeq;
      let mark = li.querySelector(".receipt");
      if (seen && !mark) {
        mark = document.createElement("span");
        mark.className = "receipt";
        mark.textContent = " ✓ Seen";
        li.append(mark);
      }
    }
  }

  let readTimer = null;
  function markRead() {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      if (state.conversationId && state.lastSeq > 0)
        call("POST", `/api/webchat/conversations/${state.conversationId}/read`, { sequence: state.lastSeq }).catch(() => {});
    }, 300);
  }

  function setStatus(text) { statusLine.textContent = text; }

  // The form appears next to the conversation; focus stays where the visitor is (no surprise
  // context change), and the hub's notice in the log (aria-live) tells them it is there.
  function showOffline(show) {
    state.captureContact = show;
    offline.hidden = !show;
  }

  // ---------- live events ----------
  function connect() {
    if (!state.conversationId || !state.token) return;
    if (state.events) state.events.close();
    const url = `${hub}/api/webchat/conversations/${state.conversationId}/events?token=${encodeURIComponent(state.token)}&after=${state.lastSeq}`;
    const events = new EventSource(url);
    state.events = events;
    events.addEventListener("ready", (e) => {
      const conversation = JSON.parse(e.data);
      state.reconnectDelay = 1000;
      setStatus("Connected");
      state.agentReadSeq = Math.max(state.agentReadSeq, conversation.agentReadSequence);
      updateReceipts();
      if (conversation.captureContact) showOffline(true);
    });
    events.addEventListener("message", (e) => render(JSON.parse(e.data)));
    events.addEventListener("typing", (e) => {
      const t = JSON.parse(e.data);
      typingLine.textContent = t.typing ? `${t.name || (t.author === "bot" ? "Assistant" : "Agent")} is typing…` : "";
    });
    events.addEventListener("read", (e) => {
      const r = JSON.parse(e.data);
      if (r.by === "agent") { state.agentReadSeq = Math.max(state.agentReadSeq, r.sequence); updateReceipts(); }
    });
    events.addEventListener("status", (e) => {
      const s = JSON.parse(e.data);
      if (s.captureContact) showOffline(true);
      if (s.mode === "human") setStatus("An agent has joined the conversation");
      if (s.mode === "closed") setStatus(s.notice || "This conversation has been closed");
    });
    events.onerror = () => {
      // The browser retries by itself (with Last-Event-ID) while the stream is CONNECTING;
      // once CLOSED (e.g. the token expired) we renew and reconnect ourselves.
      setStatus("Connection lost. Reconnecting…");
      if (events.readyState === EventSource.CLOSED) {
        const delay = state.reconnectDelay;
        state.reconnectDelay = Math.min(delay * 2, 30000);
        setTimeout(() => ensureSession(true).then(connect, connect), delay);
      }
    };
  }

  async function loadHistory() {
    const page = await call("GET", `/api/webchat/conversations/${state.conversationId}/messages?after=0`);
    page.messages.forEach(render);
    const conversation = await call("GET", `/api/webchat/conversations/${state.conversationId}`);
    state.agentReadSeq = conversation.agentReadSequence;
    updateReceipts();
    if (conversation.mode === "closed") { state.conversationId = null; persist(); log.replaceChildren(); state.shown.clear(); state.lastSeq = 0; }
    else if (conversation.captureContact) showOffline(true);
  }

  // ---------- sending ----------
  async function send(text) {
    const clientMessageId = (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random()}`;
    const item = document.createElement("li");
    item.className = "message customer pending";
    item.textContent = `You: ${text}`;
    log.append(item);
    showLatest();
    state.pending.set(clientMessageId, item);
    const body = { text, clientMessageId, attachmentIds: attachments.map((a) => a.id) };
    attachments = [];
    attachedLine.textContent = "";
    await deliver(item, clientMessageId, body);
  }

  async function deliver(item, clientMessageId, body, afterClose) {
    try {
      const id = await ensureConversation();
      const result = await call("POST", `/api/webchat/conversations/${id}/messages`, body);
      render(result.message);
      setStatus("Message sent");
    } catch (error) {
      if (error.status === 409 && !afterClose && !body.attachmentIds.length) {
        // The conversation was closed (e.g. the ticket was solved): writing again starts a new one.
        state.conversationId = null; state.lastSeq = 0; state.shown.clear(); persist();
        return deliver(item, clientMessageId, body, true);
      }
      // Kept on screen with a retry; the same clientMessageId makes a retry safe.
      item.classList.add("failed");
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry";
      retry.textContent = "Not sent. Retry";
      retry.addEventListener("click", () => { retry.remove(); item.classList.remove("failed"); deliver(item, clientMessageId, body); });
      item.append(" ", retry);
      setStatus(`Your message was not sent: ${error.message}`);
    }
  }

  function sendTyping(typing) {
    if (!state.conversationId) return;
    call("POST", `/api/webchat/conversations/${state.conversationId}/typing`, { typing }).catch(() => {});
  }

  composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text && attachments.length === 0) { setStatus("Type a message first"); return; }
    input.value = "";
    clearTimeout(state.typingTimer);
    state.typingSentAt = 0;
    send(text);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit(); }
  });
  input.addEventListener("input", () => {
    const now = Date.now();
    if (now - state.typingSentAt > 3000) { state.typingSentAt = now; sendTyping(true); }
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(() => { state.typingSentAt = 0; sendTyping(false); }, typingIdleMs);
  });
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    if (state.site && file.size > state.site.maxAttachmentBytes) {
      setStatus(`${file.name} is too large (limit ${Math.round(state.site.maxAttachmentBytes / 1048576)} MB)`);
      return;
    }
    try {
      const id = await ensureConversation();
      const form = new FormData();
      form.append("file", file);
      attachments.push(await call("POST", `/api/webchat/conversations/${id}/attachments`, form));
      attachedLine.textContent = `Attached: ${attachments.map((a) => a.fileName).join(", ")}`;
    } catch (error) {
      setStatus(`Could not attach ${file.name}: ${error.message}`);
    }
  });
  offline.addEventListener("submit", async (e) => {
    e.preventDefault();
    const data = new FormData(offline);
    const error = $("#ih-email-error");
    error.textContent = "";
    try {
      const id = await ensureConversation();
      await call("POST", `/api/webchat/conversations/${id}/contact`, {
        email: data.get("email"), name: data.get("name") || null, message: data.get("message") || null,
      });
      showOffline(false);
      setStatus("Thanks, your details were sent");
      input.focus();
    } catch (err) {
      error.textContent = err.message;
      $("#ih-email").setAttribute("aria-invalid", "true");
      $("#ih-email").focus();
    }
  });

  // ---------- open / close ----------
  let started = null;
  async function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
    started ??= ensureSession()
      .then(async () => { if (state.conversationId) { await loadHistory(); connect(); } })
      .catch((error) => { started = null; setStatus(`Chat is unavailable: ${error.message}`); });
    await started;
    showLatest();
    markRead();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  $(".close").addEventListener("click", close);
  panel.addEventListener("keydown", (e) => { if (e.key === "Escape") close(); });

  document.body.append(host);
  window.IntegrationHubWidget = { open, close };
})();
