// The demo page: a Slack-like client over /ui (actions), /events (live changes) and the
// workspace snapshot. Plain DOM; messages are keyed by ts so streamed updates patch in place.
import { blocksElement } from "./blocks.js";
import {
  compareTs,
  dateTimeOf,
  emoji,
  escapeHtml,
  formatText,
  QUICK_REACTIONS,
  timeOf,
} from "./render.js";

const $ = (id) => document.getElementById(id);
// This run's token, embedded in the page by the server: every /ui call and the event stream
// carry it, so no other site the browser has open can act on the demo (demo/web/page-guard.ts).
const PAGE_TOKEN = document.querySelector('meta[name="pup-demo-token"]')?.content ?? "";
/** fetch() for the demo server's page endpoints, with the token. */
const api = (path, init = {}) =>
  fetch(path, { ...init, headers: { ...init.headers, "x-pup-demo-token": PAGE_TOKEN } });
const el = {
  userSwitch: $("user-switch"),
  channels: $("channel-list"),
  dms: $("dm-list"),
  homeLink: $("home-link"),
  title: $("conversation-title"),
  purpose: $("conversation-purpose"),
  mood: $("mood"),
  messages: $("messages"),
  home: $("app-home"),
  status: $("status-line"),
  form: $("composer-form"),
  composer: $("composer"),
  threadPane: $("thread-pane"),
  threadMessages: $("thread-messages"),
  threadForm: $("thread-form"),
  threadComposer: $("thread-composer"),
  closeThread: $("close-thread"),
  toast: $("toast"),
};

const state = {
  me: localStorage.getItem("pup-demo-user") ?? "",
  current: "",
  threadTs: "",
  bot: { userId: "", name: "pup" },
  users: new Map(),
  conversations: [],
  /** channel -> (ts -> message) */
  messages: new Map(),
  ephemerals: [],
  views: {},
  assistant: new Map(),
};

const nameOf = (id) => state.users.get(id)?.realName ?? id;
const isPup = (m) => m.user === state.bot.userId || Boolean(m.bot_id);
const authorOf = (m) => (isPup(m) ? "pup" : (m.user ?? "unknown"));
const channelMessages = (channel) => {
  let map = state.messages.get(channel);
  if (!map) {
    map = new Map();
    state.messages.set(channel, map);
  }
  return map;
};
const isTopLevel = (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === "thread_broadcast";
const conversation = (id) => state.conversations.find((c) => c.id === id);
const canSee = (c) =>
  c.visibility === "im" ? c.user === state.me : !c.members || c.members.includes(state.me);

// ---- loading and live events ----

async function loadSnapshot() {
  const snapshot = await (await api("/ui/state")).json();
  state.bot = snapshot.bot;
  state.users = new Map(snapshot.users.map((u) => [u.id, u]));
  state.conversations = snapshot.conversations;
  state.messages = new Map();
  for (const [channel, list] of Object.entries(snapshot.messages)) {
    const map = channelMessages(channel);
    for (const message of list) map.set(message.ts, message);
  }
  state.ephemerals = snapshot.ephemerals;
  state.views = snapshot.views;
  state.assistant = new Map(
    snapshot.assistantThreads.map((t) => [`${t.channel_id}:${t.thread_ts}`, t]),
  );
  $("team-name").textContent = snapshot.team.name;
  const people = snapshot.users.filter((u) => !u.isBot);
  if (!people.some((u) => u.id === state.me)) state.me = people[0]?.id ?? "";
  el.userSwitch.replaceChildren(
    ...people.map((u) => new Option(`${u.realName} (@${u.name})`, u.id, false, u.id === state.me)),
  );
  renderSidebar();
  openConversation(location.hash.slice(1) || state.current || "C0DEMOGENRL", { replace: true });
}

function connectEvents() {
  const source = new EventSource(`/events?token=${encodeURIComponent(PAGE_TOKEN)}`);
  let dropped = false;
  source.addEventListener("error", () => {
    dropped = true;
  });
  source.addEventListener("open", () => {
    // Anything may have happened while disconnected: start again from a fresh snapshot.
    if (dropped) loadSnapshot();
    dropped = false;
  });
  source.addEventListener("message", (event) => applyEvent(JSON.parse(event.data)));
}

function applyEvent(event) {
  switch (event.type) {
    case "message_posted":
    case "message_changed": {
      const messages = channelMessages(event.channel);
      const { message } = event;
      const root =
        message.thread_ts && message.thread_ts !== message.ts && messages.get(message.thread_ts);
      if (root && event.type === "message_posted" && !messages.has(message.ts)) {
        // The server keeps reply_count on the parent; the page's copy follows along.
        root.thread_ts = root.ts;
        root.reply_count = (root.reply_count ?? 0) + 1;
      }
      messages.set(message.ts, message);
      onMessage(event.channel, event.message, event.type === "message_posted");
      break;
    }
    case "reaction_added":
    case "reaction_removed": {
      const message = channelMessages(event.channel).get(event.ts);
      if (!message) return;
      applyReaction(message, event);
      onMessage(event.channel, message, false);
      break;
    }
    case "ephemeral_posted":
      state.ephemerals.push(event.ephemeral);
      if (event.ephemeral.user === state.me && event.ephemeral.channel === state.current) {
        const message = { ...event.ephemeral.message, ephemeral: true };
        const inThread = message.thread_ts && message.thread_ts === state.threadTs;
        upsertMessage(inThread ? el.threadMessages : el.messages, message, true);
      }
      break;
    case "ephemeral_replaced": {
      // A button's `replace_original` answer: same ts, new content, in the same place.
      const { channel, user, message } = event.ephemeral;
      const index = state.ephemerals.findIndex(
        (e) => e.channel === channel && e.user === user && e.message.ts === message.ts,
      );
      if (index >= 0) state.ephemerals[index] = event.ephemeral;
      if (user === state.me && channel === state.current) {
        const shown = { ...message, ephemeral: true };
        for (const container of [el.messages, el.threadMessages]) {
          if (container.querySelector(`:scope > [data-ts="${CSS.escape(message.ts)}"]`)) {
            upsertMessage(container, shown, false);
          }
        }
      }
      break;
    }
    case "view_published":
      state.views[event.user] = event.view;
      if (state.current === "home") renderHome();
      break;
    case "assistant_thread_changed":
      state.assistant.set(`${event.thread.channel_id}:${event.thread.thread_ts}`, event.thread);
      renderStatus();
      break;
    case "delivery_failed":
      if (event.user === state.me) showToast(`pup did not get that: ${event.detail}`);
      break;
  }
}

function applyReaction(message, { type, name, user }) {
  const reactions = message.reactions ?? [];
  const reaction = reactions.find((r) => r.name === name);
  if (type === "reaction_added") {
    if (!reaction) reactions.push({ name, users: [user], count: 1 });
    else if (!reaction.users.includes(user)) reaction.users.push(user);
  } else if (reaction) {
    reaction.users = reaction.users.filter((u) => u !== user);
  }
  for (const r of reactions) r.count = r.users.length;
  message.reactions = reactions.filter((r) => r.count > 0);
}

/** Draws a new or changed message wherever it shows, and refreshes the mood when it settles. */
function onMessage(channel, message, isNew) {
  if (channel !== state.current) {
    if (isNew) markUnread(channel);
    return;
  }
  if (isTopLevel(message)) upsertMessage(el.messages, message, isNew);
  if (message.thread_ts) {
    const root = channelMessages(channel).get(message.thread_ts);
    if (root && root !== message) upsertMessage(el.messages, root, false);
    if (message.thread_ts === state.threadTs) upsertMessage(el.threadMessages, message, isNew);
  }
  if (message.ts === state.threadTs) upsertMessage(el.threadMessages, message, false);
  if (message.streaming_state !== "in_progress") refreshMood();
  renderStatus();
}

// ---- sidebar and navigation ----

function renderSidebar() {
  const visible = state.conversations.filter(canSee);
  const link = (c) => {
    const item = document.createElement("li");
    const a = document.createElement("a");
    a.href = `#${c.id}`;
    a.dataset.testid = `channel-${c.id}`;
    a.dataset.channel = c.id;
    const prefix = c.visibility === "im" ? "●" : c.visibility === "private" ? "🔒" : "#";
    const label = c.visibility === "im" ? "pup" : c.name;
    a.innerHTML = `<span class="prefix" aria-hidden="true">${prefix}</span>${escapeHtml(label)}`;
    if (c.visibility === "private") a.setAttribute("aria-label", `${c.name} (private channel)`);
    if (c.visibility === "im") a.setAttribute("aria-label", "Direct message with pup");
    if (c.id === state.current) a.setAttribute("aria-current", "page");
    item.append(a);
    return item;
  };
  el.channels.replaceChildren(...visible.filter((c) => c.visibility !== "im").map(link));
  el.dms.replaceChildren(...visible.filter((c) => c.visibility === "im").map(link));
  if (state.current === "home") el.homeLink.setAttribute("aria-current", "page");
  else el.homeLink.removeAttribute("aria-current");
}

function markUnread(channel) {
  document.querySelector(`[data-channel="${CSS.escape(channel)}"]`)?.classList.add("unread");
}

function openConversation(id, { replace = false } = {}) {
  if (id === "home") return openHome();
  let target = conversation(id);
  if (!target || !canSee(target))
    target = state.conversations.find((c) => canSee(c) && c.visibility === "public");
  if (!target) return;
  state.current = target.id;
  if (location.hash.slice(1) !== target.id) {
    history[replace ? "replaceState" : "pushState"](null, "", `#${target.id}`);
  }
  const label =
    target.visibility === "im"
      ? "pup"
      : `${target.visibility === "private" ? "🔒 " : "#"}${target.name}`;
  el.title.textContent = label;
  el.purpose.textContent =
    target.visibility === "im" ? "Your direct messages with pup" : target.purpose;
  el.composer.placeholder = `Message ${target.visibility === "im" ? "pup" : `#${target.name}`}`;
  el.messages.hidden = false;
  el.form.hidden = false;
  el.home.hidden = true;
  closeThread();
  renderSidebar();
  renderMessages();
  refreshMood();
}

function openHome() {
  state.current = "home";
  el.title.textContent = "pup · Home";
  el.purpose.textContent = "pup's App Home, as published with views.publish";
  el.messages.hidden = true;
  el.form.hidden = true;
  el.home.hidden = false;
  closeThread();
  renderSidebar();
  renderHome();
  // As in Slack, opening the tab sends app_home_opened; pup answers by publishing the Home.
  send("/ui/home", { user: state.me });
}

function renderHome() {
  const view = state.views[state.me];
  const card = document.createElement("div");
  card.className = "home-card message-text";
  card.dataset.testid = "home-view";
  if (view) {
    const press = (button) => pressButton(button, { type: "view" });
    card.append(blocksElement(view.blocks ?? [], { nameOf, onPress: press }));
  } else {
    card.textContent = "pup has not published a Home view for you yet.";
  }
  el.home.replaceChildren(card);
}

/** Sends a pressed button of pup's (after its confirmation) as Slack would: block_actions. */
function pressButton(button, container) {
  return send("/ui/action", {
    user: state.me,
    action_id: button.action_id ?? "",
    value: button.value ?? "",
    container,
  });
}

// ---- messages ----

function renderMessages() {
  const all = [...channelMessages(state.current).values()].filter(isTopLevel);
  const mine = state.ephemerals
    .filter((e) => e.user === state.me && e.channel === state.current && !e.message.thread_ts)
    .map((e) => ({ ...e.message, ephemeral: true }));
  const list = [...all, ...mine].sort((a, b) => compareTs(a.ts, b.ts));
  el.messages.replaceChildren(...list.map((m) => messageElement(m, false)));
  if (list.length === 0) {
    const empty = document.createElement("p");
    empty.className = "empty";
    empty.textContent = "No messages yet. Say hello, or mention @pup.";
    el.messages.append(empty);
  }
  el.messages.scrollTop = el.messages.scrollHeight;
  renderStatus();
}

/** Replaces the element for `message.ts` in `container`, or inserts it in ts order. */
function upsertMessage(container, message, isNew) {
  const inThread = container === el.threadMessages;
  const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
  const element = messageElement(message, inThread);
  const existing = container.querySelector(`:scope > [data-ts="${CSS.escape(message.ts)}"]`);
  if (existing) {
    existing.replaceWith(element);
  } else {
    container.querySelector(":scope > .empty")?.remove();
    const later = [...container.children].find(
      (c) => c.dataset.ts && compareTs(c.dataset.ts, message.ts) > 0,
    );
    container.insertBefore(element, later ?? null);
  }
  if (isNew || atBottom) container.scrollTop = container.scrollHeight;
}

function messageElement(message, inThread) {
  const author = authorOf(message);
  const div = document.createElement("div");
  div.className = "message";
  if (message.ephemeral) div.classList.add("ephemeral");
  if (message.streaming_state === "in_progress") div.classList.add("streaming");
  div.dataset.testid = "message";
  div.dataset.author = author;
  div.dataset.ts = message.ts;
  const name = author === "pup" ? "pup" : nameOf(author);
  // Slack shows a message's blocks when it has them; its text is then only the fallback.
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  const text = hasBlocks ? "" : message.text;
  const edited = message.edited ? ' <span class="edited">(edited)</span>' : "";
  const badge = author === "pup" ? ' <span class="badge">APP</span>' : "";
  const only = message.ephemeral ? '<p class="only-you">Only visible to you</p>' : "";
  div.innerHTML = `
    <div class="avatar ${author === "pup" ? "avatar-pup" : ""}" aria-hidden="true">${author === "pup" ? "🐶" : escapeHtml(name.slice(0, 1).toUpperCase())}</div>
    <div class="message-body">
      <p class="meta"><span class="author">${escapeHtml(name)}</span>${badge}
        <time datetime="${dateTimeOf(message.ts)}">${timeOf(message.ts)}</time>${edited}</p>
      ${only}
      <div class="message-text" data-testid="message-text">${formatText(text, nameOf)}</div>
    </div>`;
  const body = div.querySelector(".message-body");
  if (hasBlocks) {
    const channel = state.current;
    const press = (button) => pressButton(button, { type: "message", channel, ts: message.ts });
    div
      .querySelector('[data-testid="message-text"]')
      .append(blocksElement(message.blocks, { nameOf, onPress: press }));
  }
  if (message.reactions?.length) body.append(reactionsRow(message));
  if (!message.ephemeral) body.append(actionsRow(message, inThread));
  return div;
}

function reactionsRow(message) {
  const row = document.createElement("div");
  row.className = "reactions";
  for (const reaction of message.reactions) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reaction";
    button.dataset.testid = "reaction";
    button.dataset.name = reaction.name;
    const mine = reaction.users.includes(state.me);
    button.setAttribute("aria-pressed", String(mine));
    const who = reaction.users.map((u) => (u === state.bot.userId ? "pup" : nameOf(u))).join(", ");
    button.setAttribute("aria-label", `${reaction.name} reaction by ${who}`);
    button.title = who;
    button.innerHTML = `<span aria-hidden="true">${emoji(reaction.name)}</span> ${reaction.count}`;
    button.addEventListener("click", () => react(message, reaction.name));
    row.append(button);
  }
  return row;
}

function actionsRow(message, inThread) {
  const row = document.createElement("div");
  row.className = "message-actions";
  if (!inThread && isTopLevel(message)) {
    const open = document.createElement("button");
    open.type = "button";
    open.className = "open-thread";
    open.dataset.testid = "open-thread";
    const replies = message.reply_count ?? 0;
    open.textContent = replies
      ? `${replies} ${replies === 1 ? "reply" : "replies"}`
      : "Reply in thread";
    if (replies) open.classList.add("has-replies");
    open.addEventListener("click", () => openThread(message.ts));
    row.append(open);
  }
  for (const name of QUICK_REACTIONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "quick-reaction";
    button.dataset.testid = `react-${name}`;
    button.setAttribute("aria-label", `React with ${name}`);
    button.textContent = emoji(name);
    button.addEventListener("click", () => react(message, name));
    row.append(button);
  }
  return row;
}

// ---- threads ----

function openThread(ts) {
  state.threadTs = ts;
  const messages = [...channelMessages(state.current).values()].filter(
    (m) => m.ts === ts || m.thread_ts === ts,
  );
  const mine = state.ephemerals
    .filter((e) => e.user === state.me && e.channel === state.current && e.message.thread_ts === ts)
    .map((e) => ({ ...e.message, ephemeral: true }));
  const list = [...messages, ...mine].sort((a, b) => compareTs(a.ts, b.ts));
  el.threadMessages.replaceChildren(...list.map((m) => messageElement(m, true)));
  el.threadPane.hidden = false;
  document.body.classList.add("thread-open");
  el.threadComposer.focus();
  renderStatus();
}

function closeThread() {
  state.threadTs = "";
  el.threadPane.hidden = true;
  document.body.classList.remove("thread-open");
}

function renderStatus() {
  const busy = [...state.assistant.values()].find(
    (t) => t.channel_id === state.current && t.status,
  );
  const streaming = [...channelMessages(state.current).values()].some(
    (m) => m.streaming_state === "in_progress",
  );
  el.status.textContent = busy ? `pup ${busy.status}` : streaming ? "pup is typing…" : "";
}

// ---- actions ----

async function send(path, body) {
  try {
    const response = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!answer.ok) showToast(`Could not do that: ${answer.error}`);
    return answer;
  } catch (error) {
    showToast(`The demo server did not answer (${error.message})`);
    return { ok: false };
  }
}

async function submit(textarea, threadTs) {
  const text = textarea.value;
  if (!text.trim()) return;
  textarea.value = "";
  autosize(textarea);
  const answer = await send("/ui/message", {
    user: state.me,
    channel: state.current,
    text,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  if (!answer.ok && !textarea.value) textarea.value = text;
}

function react(message, name) {
  send("/ui/reaction", { user: state.me, channel: state.current, ts: message.ts, name });
}

let moodTimer = 0;
let moodAsked = 0;
/**
 * Reads pup's mood in the open conversation into the badge. Called when a message there settles
 * (pup moves its mood before it replies, so its finished reply and mood reaction carry the new
 * one), on opening a conversation, and by a light poll for what no event announces: a reaction
 * to pup moves the mood only once core has handled it, and moods fade with time.
 */
function refreshMood() {
  clearTimeout(moodTimer);
  const channel = state.current;
  if (!channel || channel === "home") return;
  moodTimer = setTimeout(async () => {
    // Only the newest answer counts: an older request finishing late must not win.
    const asked = ++moodAsked;
    try {
      const answer = await (await api(`/ui/mood?channel=${encodeURIComponent(channel)}`)).json();
      if (asked === moodAsked && channel === state.current && answer.ok) {
        el.mood.textContent = answer.mood;
        el.mood.dataset.mood = answer.mood;
      }
    } catch {
      // The next message or poll refreshes it again.
    }
  }, 120);
}

const MOOD_POLL_MS = 5000;
setInterval(() => {
  if (!document.hidden) refreshMood();
}, MOOD_POLL_MS);

let toastTimer = 0;
function showToast(text) {
  el.toast.textContent = text;
  el.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.toast.hidden = true;
  }, 5000);
}

function autosize(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${Math.min(textarea.scrollHeight, 200)}px`;
}

function wireComposer(form, textarea, threadTs) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(textarea, threadTs());
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit(textarea, threadTs());
    }
  });
  textarea.addEventListener("input", () => autosize(textarea));
}

wireComposer(el.form, el.composer, () => "");
wireComposer(el.threadForm, el.threadComposer, () => state.threadTs);
el.closeThread.addEventListener("click", closeThread);
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !el.threadPane.hidden) closeThread();
});
el.userSwitch.addEventListener("change", () => {
  state.me = el.userSwitch.value;
  localStorage.setItem("pup-demo-user", state.me);
  openConversation(state.current);
});
window.addEventListener("hashchange", () => {
  const id = location.hash.slice(1);
  if (id && id !== state.current) openConversation(id, { replace: true });
});
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-channel]");
  link?.classList.remove("unread");
});

connectEvents();
loadSnapshot().then(() => {
  document.body.dataset.ready = "true";
});
