// BestDev page: send the description to POST /api/recommend (or /api/team) and show who fits, what was read, who
// lacks what, and a team. No framework, no build step.
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
  const understood = $("understood");
  const unrecognised = $("unrecognised");
  const readChips = $("read-chips");
  const staff = $("staff");
  const staffLabel = staff.querySelector(".label");
  const teamSize = $("team-size");
  const closestSection = $("closest-section");
  const closest = $("closest");
  const team = $("team");
  const members = $("members");
  const teamGaps = $("team-gaps");
  const start = $("start");
  const poolInfo = $("pool-info");
  const caller = $("caller");

  /** The API's origin (and path prefix), without a trailing slash; "" means the page's own server. Set at deploy
   *  time only (static/config.js, or the page's meta tag): nothing in the page's URL can send descriptions elsewhere. */
  function apiBase() {
    const config = window.BESTDEV_CONFIG || {};
    const meta = document.querySelector('meta[name="bestdev-api-base"]');
    const candidates = [config.apiBase, meta && meta.content];
    const chosen = candidates.map((value) => (value || "").trim()).find((value) => value !== "") || "";
    if (chosen && !/^https:\/\//i.test(chosen) && !/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/i.test(chosen)) {
      console.warn(`BestDev: ignoring API base ${chosen}: it must be an https:// URL (http:// only on this machine)`);
      return "";
    }
    return chosen.replace(/\/+$/, "");
  }

  const base = apiBase();
  const endpoint = (path) => (base ? `${base}/${path}` : path);
  document.querySelectorAll('a[href="api/docs"]').forEach((link) => { link.href = endpoint("api/docs"); });

  /** A failure to show to the person, in plain words. */
  class PageError extends Error {
    constructor(title, message, signIn = false) {
      super(message);
      this.title = title;
      this.signIn = signIn;
    }
  }

  /** Where a person signs in again (App Service authentication's own sign-in, back to this page afterwards). */
  function signInUrl() {
    const back = base ? window.location.href : window.location.pathname;
    return `${base || "."}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`;
  }

  /** POST a body to the API; the answer's JSON, or a PageError saying what went wrong in plain words. */
  async function post(path, body, check) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(endpoint(path), {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        credentials: base ? "include" : "same-origin", // the sign-in session, also when the API is elsewhere
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
    if (response.status === 401) {
      throw new PageError("Please sign in again", "Your sign-in has ended, so BestDev could not answer.", true);
    }
    if (response.status === 403) {
      throw new PageError(
        "Not allowed",
        "You are signed in, but not allowed to use BestDev. Ask whoever runs BestDev to give you access.",
      );
    }
    if (!response.ok) {
      const detail = data && data.error && typeof data.error.message === "string" ? data.error.message : null;
      throw new PageError(
        "BestDev could not answer",
        detail || `The BestDev API answered with HTTP ${response.status} and no explanation. Please try again.`,
      );
    }
    if (!data || !check(data)) {
      throw new PageError("Unexpected answer", "The BestDev API sent an answer this page cannot read.");
    }
    return data;
  }

  // The start day goes along only when one is chosen (a date input's value is YYYY-MM-DD, as the API reads it).
  const withStart = (body) => (start.value ? { ...body, start: start.value } : body);
  const recommend = (text, k) =>
    post("api/recommend", withStart({ description: text, top_k: k }), (data) => Array.isArray(data.recommendations));
  const staffTeam = (text, size) =>
    post("api/team", withStart({ description: text, max_size: size }), (data) => Array.isArray(data.members));

  /** Which pool the API recommends from: its company and how many developers, in the masthead. */
  async function showPool() {
    const headers = { Accept: "application/json" };
    try {
      const response = await fetch(endpoint("api/pool"), { headers, credentials: base ? "include" : "same-origin" });
      const pool = response.ok ? await response.json() : null;
      if (!pool || typeof pool.company !== "string" || !Array.isArray(pool.developers)) throw new Error("no pool");
      const size = pool.developers.length;
      poolInfo.textContent = `Pool: ${pool.company}, ${size} ${size === 1 ? "developer" : "developers"}`;
    } catch {
      poolInfo.textContent = "The pool could not be loaded.";
    }
  }

  /** Who is signed in, with a way to sign out, in the masthead: only behind sign-in (in Azure). */
  async function showCaller() {
    try {
      const response = await fetch(endpoint("api/me"), {
        headers: { Accept: "application/json" },
        credentials: base ? "include" : "same-origin",
      });
      const me = response.ok ? await response.json() : null;
      if (!me || me.signed_in !== true) return;
      const signOut = element("a", "sign-out", "Sign out");
      signOut.href = `${base || "."}/.auth/logout`;
      caller.replaceChildren(document.createTextNode(me.name ? `Signed in as ${me.name} · ` : "Signed in · "), signOut);
      show(caller, true);
    } catch {
      // the masthead simply says nothing about who is signed in
    }
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
    closest.replaceChildren();
    members.replaceChildren();
    teamGaps.replaceChildren();
    [notice, empty, answeredBy, closestSection, team].forEach((node) => show(node, false));
  }

  const list = (items) => (items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : items.join(""));

  /** A labelled list of skill pills: `kind` "chip" for what the pool lists for them, "lack" for what they lack. */
  function skillList(label, skills, kind) {
    const wrap = element("div", `skills skills-${kind}`);
    const heading = element("span", "skills-label", `${label}:`);
    const items = element("ul", kind === "chip" ? "chips" : "lacks");
    items.setAttribute("aria-label", label);
    skills.forEach((skill) => items.append(element("li", kind, skill)));
    wrap.append(heading, items);
    return wrap;
  }

  const share = (value) => Math.round(Math.max(0, Math.min(1, Number(value) || 0)) * 100);

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];

  /** "3 March", with the year when it is not this year's. */
  function dayText(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return `${day} ${MONTHS[month - 1]}${year !== new Date().getFullYear() ? ` ${year}` : ""}`;
  }

  /** When they are free, as the pool says: "free from 3 March", "booked 80%", or nothing when they are free now. */
  function availability(item) {
    const today = new Date().toISOString().slice(0, 10);
    const later = typeof item.available_from === "string" && item.available_from > today;
    const booked = typeof item.allocation === "number" && item.allocation > 0 && item.allocation < 100;
    let text = "";
    if (later) text = `free from ${dayText(item.available_from)}${booked ? `, booked ${item.allocation}% until then` : ""}`;
    else if (!item.available_from && typeof item.allocation === "number" && item.allocation > 0) text = `booked ${item.allocation}%`;
    if (item.free === false) text = `Not free by the start${text ? `: ${text}` : ""}`;
    else if (item.free === true && text) text = `Free by the start (${text})`;
    if (!text) return null;
    const node = element("p", item.free === false ? "availability availability-busy" : "availability", text);
    return node;
  }

  /** "Go 4/5" where the pool gives a level. */
  const withLevels = (skills, levels) =>
    skills.map((skill) => (levels && typeof levels[skill] === "number" ? `${skill} ${levels[skill]}/5` : skill));

  function card(item, index) {
    // The fit shown is coverage: the share of what the project asks for that they hold (score only ranks).
    const percent = share(typeof item.coverage === "number" ? item.coverage : item.score);
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
    if (skills.length) li.append(skillList("Matching skills", withLevels(skills, item.levels), "chip"));
    const missing = Array.isArray(item.missing) ? item.missing : [];
    if (missing.length) li.append(skillList("Missing", missing, "lack"));
    li.append(element("p", "reason", item.reason));
    const free = availability(item);
    if (free) li.append(free);
    return li;
  }

  /** Someone close to a project nobody fits: plainly not a fit, with what they hold and what they lack. */
  function closestCard(item) {
    const li = element("li", "card card-not-a-fit");
    li.setAttribute("aria-label", `${item.name}, not a fit`);
    const head = element("div", "card-head");
    const who = element("div", "who");
    who.append(element("h4", "name", item.name));
    if (item.title) who.append(element("p", "role", item.title));
    head.append(who, element("span", "badge-not-a-fit", "Not a fit"));
    li.append(head);
    if (item.holds.length) li.append(skillList("Holds", item.holds, "chip"));
    if (item.missing.length) li.append(skillList("Missing", item.missing, "lack"));
    li.append(element("p", "reason", item.reason));
    return li;
  }

  function memberCard(item, index) {
    const li = element("li", "card member");
    li.setAttribute("aria-label", `${index + 1}. ${item.name}`);
    const head = element("div", "card-head");
    head.append(element("span", "rank", String(index + 1)));
    const who = element("div", "who");
    who.append(element("h4", "name", item.name));
    if (item.title) who.append(element("p", "role", item.title));
    head.append(who);
    li.append(head);
    if (item.covers.length) li.append(skillList("Covers", item.covers, "chip"));
    li.append(element("p", "reason", item.reason));
    const free = availability(item);
    if (free) li.append(free);
    return li;
  }

  // ---- what was read: chips that drop a requirement and ask again ----

  let lastMode = "recommend";
  let dropped = []; // requirements left out of the next request: {technology, text, weight, via}

  const WEIGHT_NOTE = { must: "must-have", nice: "nice to have" };

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** The description without the words of the dropped requirements (as written, any case, whole words only). */
  function withoutDropped(text) {
    return dropped.reduce((remaining, item) => {
      const words = new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(item.text)}(?=$|[^\\p{L}\\p{N}_])`, "giu");
      return remaining.replace(words, "$1");
    }, text).replace(/[ \t]{2,}/g, " ").trim();
  }

  function readChip(item, isDropped) {
    const li = element("li");
    const button = element("button", `read${item.weight === "must" ? " read-must" : ""}${isDropped ? " read-dropped" : ""}`);
    button.type = "button";
    button.dataset.technology = item.technology;
    button.append(element("span", "read-name", item.technology));
    const spelt = item.via === "spelling" ? `read from “${item.text}”` : "";
    const note = isDropped ? "left out" : [WEIGHT_NOTE[item.weight], spelt].filter(Boolean).join(", ") || (item.via === "concept" ? "concept" : "");
    if (note) button.append(element("span", "read-note", note));
    const said = item.text.toLowerCase() !== item.technology.toLowerCase() ? ` (you wrote “${item.text}”)` : "";
    button.setAttribute(
      "aria-label",
      `${item.technology}${note ? `, ${note}` : ""}${said}: ${isDropped ? "bring it back" : "leave it out"} and ask again`,
    );
    button.title = isDropped ? "Bring it back and ask again" : `Leave it out and ask again${said}`;
    button.addEventListener("click", () => {
      if (busy) return;
      dropped = isDropped
        ? dropped.filter((other) => other.technology !== item.technology)
        : [...dropped, item];
      ask(lastMode, item.technology);
    });
    li.append(button);
    return li;
  }

  /** What the description names that the recommender does not know, so nobody wonders why it was not weighed. */
  function notRecognised(items) {
    const words = items.map((item) => (item.did_you_mean ? `${item.text} (did you mean ${item.did_you_mean}?)` : item.text));
    return words.length ? `Not recognised, so not weighed: ${words.join(", ")}.` : "";
  }

  function renderUnderstood(data) {
    readChips.replaceChildren();
    const read = Array.isArray(data.understood) ? data.understood : [];
    const unknown = Array.isArray(data.unrecognised) ? data.unrecognised : [];
    // A dropped requirement the description still names another way stays read: the chips say what was asked.
    dropped = dropped.filter((item) => !read.some((other) => other.technology === item.technology));
    read.forEach((item) => readChips.append(readChip(item, false)));
    dropped.forEach((item) => readChips.append(readChip(item, true)));
    unrecognised.textContent = notRecognised(unknown);
    show(unrecognised, unknown.length > 0);
    show(understood, read.length + dropped.length + unknown.length > 0);
  }

  const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

  function describeBackend(data) {
    const model = data.model ? ` (${data.model})` : "";
    if (data.backend === "azure-openai") return `Answered by the fine-tuned model${model}, checked against your pool.`;
    if (data.backend === "local-model") {
      return `Answered by the fine-tuned model served on this machine${model}, checked against your pool.`;
    }
    return "Answered by the embedded local recommender, from your pool's skills.";
  }

  const poolText = (data) => (data.pool_version ? ` Pool version ${data.pool_version}.` : "");

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
    const near = Array.isArray(data.closest) ? data.closest : []; // also those ranked but holding too little
    near.forEach((item) => closest.append(closestCard(item)));
    show(closestSection, near.length > 0);
    summary.textContent = summarise(found, Boolean(data.fallback));
    answeredBy.textContent = describeBackend(data) + poolText(data) + (data.request_id ? ` Request ID ${data.request_id}.` : "");
    show(answeredBy, true);
    renderUnderstood(data);
  }

  function renderTeam(data) {
    clearResults();
    if (data.fallback) {
      notice.append(
        element("strong", "", "The fine-tuned model could not answer this time"),
        element("p", "", `The local recommender stood in. Reason: ${sentence(data.fallback.reason)}`),
      );
      show(notice, true);
    }
    data.members.forEach((item, index) => members.append(memberCard(item, index)));
    const gaps = [
      ["Nobody in your pool covers", data.uncovered],
      ["A larger team could also cover", data.left_out],
    ].filter(([, items]) => items.length);
    gaps.forEach(([label, items]) => teamGaps.append(skillList(label, items, "lack")));
    if (!data.members.length) {
      teamGaps.prepend(element("p", "team-empty", data.message || "Nobody in your pool holds what this project asks for."));
    }
    show(team, true);
    const names = data.members.map((item) => item.name);
    let text = names.length ? `Team of ${names.length}: ${list(names)}.` : "No team: nobody in your pool fits this project.";
    if (data.uncovered.length) text += ` Nobody covers ${list(data.uncovered)}.`;
    summary.textContent = data.fallback ? `${text} Answered by the local recommender: the fine-tuned model could not answer.` : text;
    answeredBy.textContent = describeBackend(data) + poolText(data) + (data.request_id ? ` Request ID ${data.request_id}.` : "");
    show(answeredBy, true);
    renderUnderstood(data);
  }

  /** Nothing from an earlier search stays: results, chips, and (through the event) the feedback controls. */
  function clearAll() {
    clearResults();
    readChips.replaceChildren();
    show(understood, false);
    document.dispatchEvent(new CustomEvent("bestdev:answer", { detail: { answer: null } }));
  }

  function renderError(failure) {
    clearResults();
    const title = failure instanceof PageError ? failure.title : "Something went wrong";
    const message = failure instanceof PageError ? failure.message : "The page hit an unexpected problem. Please try again.";
    error.append(element("strong", "", title), element("p", "", message));
    if (failure instanceof PageError && failure.signIn) {
      const link = element("a", "sign-in", "Sign in");
      link.href = signInUrl();
      error.append(link);
    }
  }

  // ---- the form ----

  function setBusy(busy, mode) {
    // aria-disabled, not disabled: a disabled button loses keyboard focus. The submit handler ignores it while busy.
    submit.setAttribute("aria-disabled", String(busy));
    staff.setAttribute("aria-disabled", String(busy));
    (mode === "team" ? staff : submit).setAttribute("aria-busy", String(busy));
    readChips.setAttribute("aria-busy", String(busy));
    cards.setAttribute("aria-busy", String(busy));
    form.setAttribute("aria-busy", String(busy));
    submitLabel.textContent = busy && mode !== "team" ? "Finding developers…" : "Find developers";
    staffLabel.textContent = busy && mode === "team" ? "Staffing a team…" : "Staff a team";
    if (busy) {
      // Emptied now so that the outcome is a change, announced even when it repeats the last one.
      summary.classList.remove("visually-hidden");
      summary.textContent = mode === "team" ? "Staffing a team…" : "Finding developers…";
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

  const number = (value) => value.toLocaleString("en");

  /** Said when the description is over the API's limit; null when it fits. */
  function tooLong() {
    const length = description.value.length;
    if (length <= MAX_DESCRIPTION) return null;
    return `The description is ${number(length)} characters; the limit is ${number(MAX_DESCRIPTION)}. ` +
      `Shorten it by ${number(length - MAX_DESCRIPTION)} characters to search.`;
  }

  // While typing, a message that stays true as the text changes (the count beside it shows how far over it is).
  const OVER_LIMIT = `The description is longer than the ${MAX_DESCRIPTION.toLocaleString("en")}-character limit; ` +
    "shorten it to search.";

  let wasTooLong = false;

  function updateCount() {
    count.textContent = `${number(description.value.length)} / ${number(MAX_DESCRIPTION)}`;
    const over = tooLong();
    count.classList.toggle("over", Boolean(over));
    // Said once when the text goes over the limit (a paste, say), not on every key; cleared once it fits again.
    if (over && !wasTooLong) setFieldError(OVER_LIMIT);
    else if (!over && wasTooLong) setFieldError("");
    wasTooLong = Boolean(over);
  }

  let busy = false;

  /** Ask the API (`mode` "recommend" or "team") about the description, less what was dropped; `chip` is the
   * technology whose chip asked, so focus can go back to its replacement. */
  async function ask(mode, chip) {
    if (busy) return;
    const text = description.value.trim();
    if (!text) {
      clearAll(); // a new search with nothing to ask: the last answer no longer describes the page
      dropped = [];
      setFieldError("Describe the project first: what it is and the technologies it uses.");
      description.focus();
      return;
    }
    const over = tooLong();
    if (over) {
      clearAll();
      setFieldError(over);
      description.focus();
      return;
    }
    setFieldError("");
    lastMode = mode;
    const asked = withoutDropped(text);
    const hadFocus = document.activeElement;
    busy = true;
    setBusy(true, mode);
    try {
      if (!asked) {
        clearResults();
        empty.append(
          element("strong", "", "Everything BestDev read is left out"),
          element("p", "", "Bring a requirement back (click its chip) to ask again."),
        );
        show(empty, true);
        summary.textContent = "Everything read is left out.";
        renderUnderstood({ understood: [] });
        document.dispatchEvent(new CustomEvent("bestdev:answer", { detail: { answer: null } })); // no verdicts here
      } else if (mode === "team") {
        renderTeam(await staffTeam(asked, Number(teamSize.value)));
        document.dispatchEvent(new CustomEvent("bestdev:answer", { detail: { answer: null } })); // no verdicts on teams
      } else {
        const answer = await recommend(asked, Number(topK.value));
        renderAnswer(answer);
        // static/feedback.js adds its controls to the cards and below them; the description is the one sent
        document.dispatchEvent(new CustomEvent("bestdev:answer", { detail: { answer, description: asked, api: endpoint("api") } }));
      }
    } catch (failure) {
      // A failed search from the form leaves nothing of the last answer; a chip's keeps the chips to try again.
      if (!chip) clearAll();
      renderError(failure);
    } finally {
      busy = false;
      setBusy(false, mode);
      // Focus stays where the person left it, also if they moved on during the request. Only when it was lost (say,
      // the focused element was replaced by the answer) does it go back to where the search started, or for a chip,
      // to the chip that replaced it.
      const lost = !document.activeElement || document.activeElement === document.body;
      const again = chip && [...readChips.querySelectorAll("button.read")].find((b) => b.dataset.technology === chip);
      if (lost && again) again.focus();
      else if (lost && hadFocus instanceof HTMLElement && hadFocus.isConnected) hadFocus.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask("recommend");
  });

  staff.addEventListener("click", () => ask("team"));

  description.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  description.addEventListener("input", () => {
    dropped = []; // a new description: nothing is left out of it yet
    if (description.value.trim() && !tooLong()) setFieldError("");
    updateCount();
  });

  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      description.value = button.dataset.example || "";
      dropped = [];
      updateCount();
      setFieldError("");
      description.focus();
    });
  });

  updateCount();
  showPool();
  showCaller();
})();
