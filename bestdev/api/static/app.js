// BestDev page: send the description to POST /api/recommend and show who fits. No framework, no build step.
"use strict";

(() => {
  const MAX_DESCRIPTION = 4000;
  const TIMEOUT_MS = 30000;

  const $ = (id) => document.getElementById(id);
  const form = $("search");
  const description = $("description");
  const topK = $("top-k");
  const submit = $("submit");
  const submitLabel = submit.querySelector(".label");
  const count = $("description-count");
  const fieldError = $("description-error");
  const summary = $("summary");
  const notice = $("notice");
  const error = $("error");
  const cards = $("cards");
  const empty = $("empty");
  const answeredBy = $("answered-by");

  /** The API's origin (and path prefix), without a trailing slash; "" means the page's own server. */
  function apiBase() {
    const params = new URLSearchParams(window.location.search);
    const config = window.BESTDEV_CONFIG || {};
    const meta = document.querySelector('meta[name="bestdev-api-base"]');
    const candidates = [params.get("api"), config.apiBase, meta && meta.content];
    const chosen = candidates.map((value) => (value || "").trim()).find((value) => value !== "") || "";
    if (chosen && !/^https?:\/\//i.test(chosen)) {
      console.warn(`BestDev: ignoring API base ${chosen}: it must start with http:// or https://`);
      return "";
    }
    return chosen.replace(/\/+$/, "");
  }

  const base = apiBase();
  const endpoint = (path) => (base ? `${base}/${path}` : path);
  document.querySelectorAll('a[href="api/docs"]').forEach((link) => { link.href = endpoint("api/docs"); });

  /** A failure to show to the person, in plain words. */
  class PageError extends Error {
    constructor(title, message) {
      super(message);
      this.title = title;
    }
  }

  async function recommend(text, k) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    // On Azure with function keys, open the page as /?code=KEY; the key goes along with each API call.
    const key = new URLSearchParams(window.location.search).get("code");
    if (key) headers["x-functions-key"] = key;
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(endpoint("api/recommend"), {
        method: "POST",
        headers,
        body: JSON.stringify({ description: text, top_k: k }),
        signal: controller.signal,
      });
    } catch (failure) {
      if (failure.name === "AbortError") {
        throw new PageError("No answer in time", `The BestDev API did not answer within ${TIMEOUT_MS / 1000} seconds. Please try again.`);
      }
      throw new PageError(
        "Could not reach BestDev",
        `The page could not reach the BestDev API${base ? ` at ${base}` : ""}. Check your connection and try again.`,
      );
    } finally {
      window.clearTimeout(timer);
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) {
      const detail = data && data.error && typeof data.error.message === "string" ? data.error.message : null;
      throw new PageError(
        "BestDev could not answer",
        detail || `The BestDev API answered with HTTP ${response.status} and no explanation. Please try again.`,
      );
    }
    if (!data || !Array.isArray(data.recommendations)) {
      throw new PageError("Unexpected answer", "The BestDev API sent an answer this page cannot read.");
    }
    return data;
  }

  // ---- rendering (textContent only: nothing from the API is ever parsed as HTML) ----

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function clearResults() {
    summary.textContent = "";
    summary.classList.remove("visually-hidden");
    notice.replaceChildren();
    error.replaceChildren();
    cards.replaceChildren();
    empty.replaceChildren();
    answeredBy.textContent = "";
    [notice, empty, answeredBy].forEach((node) => show(node, false));
  }

  function card(item, index) {
    const percent = Math.round(Math.max(0, Math.min(1, Number(item.score) || 0)) * 100);
    const li = element("li", "card");
    li.setAttribute("aria-label", `${index + 1}. ${item.name}`);

    const head = element("div", "card-head");
    head.append(element("span", "rank", String(index + 1)));
    const who = element("div", "who");
    who.append(element("h3", "name", item.name));
    if (item.title) who.append(element("p", "role", item.title));
    head.append(who);
    const fit = element("div", "fit");
    fit.append(element("span", "fit-value", `${percent}%`), element("span", "fit-label", "fit"));
    head.append(fit);
    li.append(head);

    const meter = element("div", "meter");
    meter.setAttribute("aria-hidden", "true");
    const bar = element("span");
    bar.style.width = `${percent}%`;
    meter.append(bar);
    li.append(meter);

    const skills = Array.isArray(item.matched_skills) ? item.matched_skills : [];
    if (skills.length) {
      const chips = element("ul", "chips");
      chips.setAttribute("aria-label", "Matching skills");
      skills.forEach((skill) => chips.append(element("li", "chip", skill)));
      li.append(chips);
    }
    li.append(element("p", "reason", item.reason));
    return li;
  }

  const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

  function describeBackend(data) {
    if (data.backend === "azure-openai") {
      return `Answered by the fine-tuned model${data.model ? ` (${data.model})` : ""}, checked against your pool.`;
    }
    return "Answered by the embedded local recommender, from your pool's skills.";
  }

  /** The status line, read out after each answer: short, so people hear the outcome and read the cards themselves. */
  function summarise(found, fallback) {
    let text;
    if (!found.length) text = "Nobody in your pool fits this project.";
    else {
      const best = found[0];
      const who = `${best.name}${best.title ? `, ${best.title}` : ""}`;
      text = found.length === 1 ? `1 developer found: ${who}.` : `${found.length} developers found. Best fit: ${who}.`;
    }
    return fallback ? `${text} Answered by the local recommender: the fine-tuned model could not answer.` : text;
  }

  function renderAnswer(data) {
    clearResults();
    const found = data.recommendations;
    if (data.fallback) {
      notice.append(
        element("strong", "", "The fine-tuned model could not answer this time"),
        element("p", "", `The local recommender stood in. Reason: ${sentence(data.fallback.reason)}`),
      );
      show(notice, true);
    }
    if (!found.length) {
      empty.append(
        element("strong", "", "Nobody in your pool fits this project"),
        element("p", "", data.message || "No developer in the pool has the skills this project mentions."),
      );
      show(empty, true);
      summary.classList.add("visually-hidden"); // the box above says it on screen
    } else {
      found.forEach((item, index) => cards.append(card(item, index)));
    }
    summary.textContent = summarise(found, Boolean(data.fallback));
    answeredBy.textContent = describeBackend(data) + (data.request_id ? ` Request ID ${data.request_id}.` : "");
    show(answeredBy, true);
  }

  function renderError(failure) {
    clearResults();
    const title = failure instanceof PageError ? failure.title : "Something went wrong";
    const message = failure instanceof PageError ? failure.message : "The page hit an unexpected problem. Please try again.";
    error.append(element("strong", "", title), element("p", "", message));
  }

  // ---- the form ----

  function setBusy(busy) {
    // aria-disabled, not disabled: a disabled button loses keyboard focus. The submit handler ignores it while busy.
    submit.setAttribute("aria-disabled", String(busy));
    submit.setAttribute("aria-busy", String(busy));
    cards.setAttribute("aria-busy", String(busy));
    form.setAttribute("aria-busy", String(busy));
    submitLabel.textContent = busy ? "Finding developers…" : "Find developers";
    if (busy) {
      // Emptied now so that the outcome is a change, announced even when it repeats the last one.
      summary.classList.remove("visually-hidden");
      summary.textContent = "Finding developers…";
      error.replaceChildren();
    }
  }

  let repeatTimer = 0;

  function setFieldError(message) {
    window.clearTimeout(repeatTimer);
    const text = message || "";
    if (text && fieldError.textContent === text) {
      // The same error again (say, a second Ctrl+Enter): empty the alert, then refill it, so it is read out again.
      fieldError.textContent = "";
      repeatTimer = window.setTimeout(() => { fieldError.textContent = text; }, 100);
    } else {
      fieldError.textContent = text;
    }
    if (message) description.setAttribute("aria-invalid", "true");
    else description.removeAttribute("aria-invalid");
  }

  function updateCount() {
    count.textContent = `${description.value.length} / ${MAX_DESCRIPTION}`;
  }

  let busy = false;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    const text = description.value.trim();
    if (!text) {
      setFieldError("Describe the project first: what it is and the technologies it uses.");
      description.focus();
      return;
    }
    setFieldError("");
    const hadFocus = document.activeElement;
    busy = true;
    setBusy(true);
    try {
      const answer = await recommend(text, Number(topK.value));
      renderAnswer(answer);
      // static/feedback.js adds its controls to the cards and below them
      document.dispatchEvent(new CustomEvent("bestdev:answer", { detail: { answer, description: text, api: endpoint("api") } }));
    } catch (failure) {
      renderError(failure);
    } finally {
      busy = false;
      setBusy(false);
      // Focus stays where the person left it, also if they moved on during the request. Only when it was lost (say,
      // the focused element was replaced by the answer) does it go back to where the search started.
      const lost = !document.activeElement || document.activeElement === document.body;
      if (lost && hadFocus instanceof HTMLElement && hadFocus.isConnected) hadFocus.focus();
    }
  });

  description.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  description.addEventListener("input", () => {
    updateCount();
    if (description.value.trim()) setFieldError("");
  });

  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      description.value = button.dataset.example || "";
      updateCount();
      setFieldError("");
      description.focus();
    });
  });

  updateCount();
})();
