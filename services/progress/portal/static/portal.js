// SoRi's one page script (README, "Reporting offline"). Without it every page and form works as before; with it
// the portal installs its service worker, and the milestone reporting form keeps what the officer types on this
// device, puts a report sent without a connection in an outbox, and sends the outbox when the connection returns,
// oldest first, each report with its own Idempotency-Key so that a resend never makes a second report.
"use strict";

(() => {
  const MAX_SIDE = 2000; // longest side of a photo as it is sent, in pixels
  const JPEG_QUALITY = 0.85;
  const FIRST_RETRY_MS = 3000;
  const LAST_RETRY_MS = 60000;
  const DATABASE = "sori-reporting";

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(() => undefined);
  }
  const view = document.getElementById("outbox");
  if (!view || !("indexedDB" in window)) return;
  const words = view.dataset;
  const who = words.who;
  const form = document.querySelector("form[data-report]");
  const format = new Intl.DateTimeFormat(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short" });

  // --- IndexedDB: drafts (what is typed, by form and person) and the outbox (reports not yet accepted) ---------

  function opened() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("drafts");
        request.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function inStore(db, store, mode, work) {
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = work(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  // --- what the form holds ---------------------------------------------------------------------------------------

  // An Idempotency-Key: a random UUID (version 4), made once per report.
  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function typed() {
    const data = new FormData(form);
    return {
      status: String(data.get("status") || ""),
      narrative: String(data.get("narrative") || ""),
      indicators: data.getAll("indicator_value").map(String),
    };
  }

  function fill(fields, file) {
    for (const choice of form.querySelectorAll("input[name=status]")) choice.checked = choice.value === fields.status;
    form.querySelector("[name=narrative]").value = fields.narrative;
    form.querySelectorAll("[name=indicator_value]").forEach((input, i) => {
      input.value = fields.indicators[i] || "";
    });
    const picker = form.querySelector("input[type=file]");
    const files = new DataTransfer();
    if (file) files.items.add(new File([file.blob], file.name, { type: file.type }));
    picker.files = files.files;
  }

  // A photo as it will be sent: at most MAX_SIDE pixels on its longest side, as JPEG, drawn on a canvas (on white,
  // where a PNG was transparent). Anything else goes as it is, and the server checks its type as always.
  async function prepared(file) {
    if (!file) return null;
    if (!/^image\/(jpeg|png)$/.test(file.type)) return { blob: file, name: file.name, type: file.type };
    let picture;
    try {
      picture = await createImageBitmap(file);
    } catch (unreadable) {
      return { blob: file, name: file.name, type: file.type };
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(picture.width, picture.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(picture.width * scale));
    canvas.height = Math.max(1, Math.round(picture.height * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(picture, 0, 0, canvas.width, canvas.height);
    picture.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    return { blob, name: `${file.name.replace(/\.[^.]*$/, "")}.jpg`, type: "image/jpeg" };
  }

  // --- sending ----------------------------------------------------------------------------------------------------

  function bodyOf(entry, token) {
    const body = new FormData();
    body.append("csrf_token", token);
    body.append("status", entry.fields.status);
    body.append("narrative", entry.fields.narrative);
    entry.indicators.forEach((name, i) => {
      body.append("indicator", name);
      body.append("indicator_value", entry.fields.indicators[i] || "");
    });
    if (entry.file) body.append("evidence", entry.file.blob, entry.file.name);
    return body;
  }

  // The form token as the portal gives it now (a copy of a page kept offline may hold one from an older session).
  async function formToken() {
    const answer = await fetch("/sign-in", { credentials: "same-origin", cache: "no-store" });
    const page = new DOMParser().parseFromString(await answer.text(), "text/html");
    const field = page.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }

  // The reason of a refusal, as the portal's page words it in the person's language (without the form's own
  // "Not done:", since the outbox says "Not sent:").
  function reasonIn(html) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const error = page.querySelector("main .error");
    if (!error) return "";
    for (const lead of error.querySelectorAll("strong")) lead.remove();
    return error.textContent.replace(/\s+/g, " ").trim();
  }

  function start(db) {
    let sending = null;
    let retry = null;
    let wait = FIRST_RETRY_MS;
    let signInNeeded = false;

    const all = () => inStore(db, "outbox", "readonly", (store) => store.getAll());
    const mine = async () => (await all()).filter((entry) => entry.who === who).sort((a, b) => a.seq - b.seq);
    const draftKey = form ? `${who} ${new URL(form.action).pathname}` : "";

    function later() {
      if (retry) return;
      retry = setTimeout(() => {
        retry = null;
        send();
      }, wait);
      wait = Math.min(wait * 2, LAST_RETRY_MS);
    }

    // One outcome per report: accepted (it leaves the outbox), refused (it stays, with the reason), or not known
    // (no answer, or the service away): it stays waiting and goes again later, with the same key.
    async function sendWaiting() {
      const waiting = (await mine()).filter((entry) => entry.state === "waiting");
      if (!waiting.length) return;
      let token;
      try {
        token = await formToken();
      } catch (offline) {
        later();
        return;
      }
      signInNeeded = false;
      for (const entry of waiting) {
        let answer;
        try {
          answer = await fetch(entry.action, {
            method: "POST",
            body: bodyOf(entry, token),
            headers: { "Idempotency-Key": entry.key },
            credentials: "same-origin",
          });
        } catch (lost) {
          later();
          break;
        }
        const landed = new URL(answer.url).pathname;
        if (answer.redirected && landed === "/sign-in") {
          signInNeeded = true;
          break;
        }
        if (answer.ok && answer.redirected) {
          await inStore(db, "outbox", "readwrite", (store) => store.delete(entry.seq));
          wait = FIRST_RETRY_MS;
          document.getElementById("outbox-sent").hidden = false;
        } else if (answer.status >= 400 && answer.status < 500) {
          const refused = { ...entry, state: "refused", reason: reasonIn(await answer.text()) };
          await inStore(db, "outbox", "readwrite", (store) => store.put(refused));
        } else {
          later();
          break;
        }
      }
    }

    function send() {
      if (!sending) {
        sending = sendWaiting()
          .catch(() => later())
          .then(show)
          .finally(() => {
            sending = null;
          });
      }
      return sending;
    }

    function button(label, action, secondary) {
      const made = document.createElement("button");
      made.type = "button";
      made.textContent = label;
      if (secondary) made.className = "secondary";
      made.addEventListener("click", action);
      return made;
    }

    async function correct(entry) {
      fill(entry.fields, entry.file);
      await inStore(db, "drafts", "readwrite", (store) => store.put({ fields: entry.fields, file: entry.file }, draftKey));
      await inStore(db, "outbox", "readwrite", (store) => store.delete(entry.seq));
      await show();
      form.querySelector("[name=narrative]").focus();
    }

    async function discard(entry) {
      await inStore(db, "outbox", "readwrite", (store) => store.delete(entry.seq));
      await show();
    }

    function item(entry) {
      const li = document.createElement("li");
      li.className = "card";
      const what = document.createElement("p");
      const title = document.createElement("strong");
      title.textContent = entry.title;
      what.append(title, ` · ${format.format(new Date(entry.queuedAt))}`);
      li.append(what);
      if (entry.state !== "refused") return li;
      const why = document.createElement("p");
      why.className = "field-error outbox-reason";
      why.textContent = entry.reason ? `${words.refused} ${entry.reason}` : words.refused;
      const tools = document.createElement("div");
      tools.className = "outbox-tools";
      if (form && new URL(form.action).pathname === entry.action) {
        tools.append(button(words.correct, () => correct(entry), false));
      } else {
        const open = document.createElement("a");
        open.href = entry.action;
        open.textContent = words.open;
        tools.append(open);
      }
      tools.append(button(words.discard, () => discard(entry), true));
      li.append(why, tools);
      return li;
    }

    async function show() {
      const entries = await mine();
      const waiting = entries.filter((entry) => entry.state === "waiting").length;
      view.hidden = entries.length === 0;
      view.querySelector("[data-count]").textContent = words.waiting.replace("{count}", String(waiting));
      view.querySelector("[data-sign-in]").hidden = !signInNeeded;
      view.querySelector("ul").replaceChildren(...entries.map(item));
    }

    async function keepTyping() {
      const draft = await inStore(db, "drafts", "readonly", (store) => store.get(draftKey));
      if (draft) fill(draft.fields, draft.file);
      let file = Promise.resolve(draft ? draft.file : null);
      const save = async () => {
        const kept = { fields: typed(), file: await file };
        await inStore(db, "drafts", "readwrite", (store) => store.put(kept, draftKey));
      };
      form.addEventListener("input", save);
      form.querySelector("input[type=file]").addEventListener("change", (event) => {
        file = prepared(event.target.files[0]);
        file.then((ready) => fill(typed(), ready));
        save();
      });
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const entry = {
          key: newKey(),
          who,
          action: new URL(form.action).pathname,
          title: words.title,
          queuedAt: new Date().toISOString(),
          state: "waiting",
          fields: typed(),
          indicators: Array.from(form.querySelectorAll("[name=indicator]"), (input) => input.value),
          file: await file,
        };
        await inStore(db, "outbox", "readwrite", (store) => store.add(entry));
        await inStore(db, "drafts", "readwrite", (store) => store.delete(draftKey));
        form.reset();
        fill(typed(), null);
        file = Promise.resolve(null);
        await show();
        await send();
        const still = (await mine()).some((left) => left.key === entry.key);
        if (!still) window.location.assign("/reporting?reported=1");
      });
      document.getElementById("draft-note").hidden = false;
      document.getElementById("evidence-hint").hidden = false;
    }

    window.addEventListener("online", () => {
      wait = FIRST_RETRY_MS;
      send();
    });
    show().then(send);
    if (form) keepTyping();
  }

  // Ask the service worker to keep this page, and the reporting forms it links to, for use without a connection.
  function keepForOffline() {
    if (!("serviceWorker" in navigator)) return;
    const pages = [location.pathname];
    for (const link of document.querySelectorAll("main a[href^='/reporting/']")) pages.push(link.getAttribute("href"));
    navigator.serviceWorker.ready.then((registration) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        document.getElementById("offline-ready").hidden = !event.data.kept;
      };
      registration.active.postMessage({ keep: pages }, [channel.port2]);
    });
  }

  opened().then(start, () => undefined);
  if (navigator.onLine) keepForOffline();
})();
