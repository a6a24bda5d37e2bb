// BestDev page, feedback: "Good pick" / "Not right" on each card and "We chose someone else" below the list.
// Listens for the "bestdev:answer" event app.js sends after each answer; each verdict is sent once, to
// POST /api/feedback with the answer's request id and the same description. Following the page's conventions
// (README, "Adding to the page"): no new live regions (a saved verdict shows on the focused button, aria-pressed,
// and in a line it is described by; a failure is also said in the page's #error alert), aria-disabled rather
// than disabled, the shared focus ring.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const cards = $("cards");
  const form = $("search");
  const pageError = $("error");
  let poolPromise = null;
  let statusCount = 0;

  /** A line under the controls saying what happened; not a live region: the controls point at it. */
  function statusLine(...describes) {
    const status = element("p", "feedback-status");
    statusCount += 1;
    status.id = `feedback-status-${statusCount}`;
    describes.forEach((control) => control.setAttribute("aria-describedby", status.id));
    return status;
  }

  /** Failures are said aloud through the page's own alert; cleared by the next save that works. */
  function sayFailure(message) {
    pageError.replaceChildren(element("strong", "", "Your feedback was not saved"), element("p", "", message));
    pageError.dataset.fromFeedback = "true";
  }

  function clearFailure() {
    if (pageError.dataset.fromFeedback === "true") {
      pageError.replaceChildren();
      delete pageError.dataset.fromFeedback;
    }
  }

  function headers() {
    return { "Content-Type": "application/json", Accept: "application/json" };
  }

  /** The sign-in session goes along, also to an API on another origin (set at deploy time in config.js). */
  const credentials = (api) => (/^https?:/i.test(api) ? "include" : "same-origin");

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Resolves on 201; rejects with a message for the person (the API's own, when it gives one). */
  async function send(api, body) {
    let response;
    try {
      response = await fetch(`${api}/feedback`, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify(body),
        credentials: credentials(api),
      });
    } catch {
      throw new Error("Could not reach BestDev to save your feedback. Please try again.");
    }
    if (response.status === 201) return response.json();
    let message = null;
    try {
      const data = await response.json();
      message = data && data.error && typeof data.error.message === "string" ? data.error.message : null;
    } catch {
      message = null;
    }
    throw new Error(message || `Your feedback was not saved (HTTP ${response.status}). Please try again.`);
  }

  /** A button that stays focusable while a verdict is being sent or once it is saved (no focus lost). */
  function lock(buttons, locked) {
    buttons.forEach((button) => button.setAttribute("aria-disabled", String(locked)));
  }

  const isLocked = (button) => button.getAttribute("aria-disabled") === "true";

  function verdictButtons(answer, description, api, item) {
    const box = element("div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", `Feedback on ${item.name}`);
    const good = element("button", "feedback-button", "Good pick");
    const wrong = element("button", "feedback-button", "Not right");
    const buttons = [good, wrong];
    const status = statusLine(good, wrong);
    buttons.forEach((button) => {
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
    });
    const verdicts = new Map([[good, "good"], [wrong, "wrong"]]);
    buttons.forEach((button) => {
      button.addEventListener("click", async () => {
        if (isLocked(button)) return;
        lock(buttons, true);
        status.textContent = "Saving…";
        status.classList.remove("feedback-failed");
        try {
          await send(api, {
            request_id: answer.request_id,
            description,
            developer: item.name,
            verdict: verdicts.get(button),
          });
          button.setAttribute("aria-pressed", "true");
          clearFailure();
          status.textContent = verdicts.get(button) === "good"
            ? `Saved: ${item.name} is a good pick. Thank you.`
            : `Saved: ${item.name} is not right for this. Thank you.`;
        } catch (failure) {
          lock(buttons, false);
          status.textContent = failure.message;
          status.classList.add("feedback-failed");
          sayFailure(failure.message);
        }
      });
    });
    box.append(good, wrong, status);
    return box;
  }

  function loadPool(api) {
    if (!poolPromise) {
      poolPromise = fetch(`${api}/pool`, { headers: headers(), credentials: credentials(api) })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
        .catch((failure) => {
          poolPromise = null;
          throw failure;
        });
    }
    return poolPromise;
  }

  function choseSomeoneElse(answer, description, api) {
    const section = element("form", "chose-other");
    section.id = "chose-other";
    section.noValidate = true;
    const heading = element("h3", "chose-other-title", "We chose someone else");
    heading.id = "chose-other-title";
    section.setAttribute("aria-labelledby", heading.id);
    const label = element("label", "", "Who did you staff?");
    label.htmlFor = "chose-other-developer";
    const picker = element("select");
    picker.id = "chose-other-developer";
    picker.append(new Option("Loading the pool…", ""));
    const save = element("button", "feedback-button", "Save who we chose");
    save.type = "submit";
    const status = statusLine(save, picker);
    section.append(heading, label, picker, save, status);

    loadPool(api)
      .then((pool) => {
        picker.replaceChildren(new Option("Choose a developer…", ""));
        pool.developers.forEach((developer) => {
          picker.append(new Option(developer.title ? `${developer.name} — ${developer.title}` : developer.name, developer.name));
        });
      })
      .catch(() => {
        picker.replaceChildren(new Option("The pool could not be loaded", ""));
        status.textContent = "The list of developers could not be loaded. Search again to retry.";
        status.classList.add("feedback-failed");
      });

    let sent = false;
    section.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sent || isLocked(save)) return;
      const name = picker.value;
      if (!name) {
        status.textContent = "Choose who you staffed first.";
        status.classList.add("feedback-failed");
        picker.focus();
        return;
      }
      lock([save], true);
      status.textContent = "Saving…";
      status.classList.remove("feedback-failed");
      try {
        await send(api, { request_id: answer.request_id, description, developer: name, verdict: "chosen" });
        sent = true;
        picker.setAttribute("aria-disabled", "true");
        picker.addEventListener("change", () => { picker.value = name; });
        save.textContent = "Saved";
        clearFailure();
        status.textContent = `Saved: you chose ${name}. Thank you.`;
      } catch (failure) {
        lock([save], false);
        status.textContent = failure.message;
        status.classList.add("feedback-failed");
        sayFailure(failure.message);
      }
    });
    return section;
  }

  function removeOld() {
    const old = $("chose-other");
    if (old) old.remove();
    delete pageError.dataset.fromFeedback; // a new search: whatever #error says now is the page's own
  }

  document.addEventListener("bestdev:answer", (event) => {
    const { answer, description, api } = event.detail || {};
    removeOld();
    if (!answer || !answer.request_id || !Array.isArray(answer.recommendations)) return;
    const items = cards.querySelectorAll(":scope > li");
    answer.recommendations.forEach((item, index) => {
      if (items[index]) items[index].append(verdictButtons(answer, description, api, item));
    });
    // After the whole answer: the cards, or the no-match box and the closest people.
    $("closest-section").after(choseSomeoneElse(answer, description, api));
  });

  if (form) form.addEventListener("submit", removeOld);
})();
