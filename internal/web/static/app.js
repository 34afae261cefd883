// tili — small enhancements for the server-rendered pages. Every page works without this module:
// links and forms do the real work, this only makes them quicker to use. It holds no language
// strings; every visible text comes from the page (data- attributes, a <template>, the
// server-rendered <dialog class="confirm">), so it speaks whatever language the page speaks.

const SUGGEST_URL = "/search/suggest";
const GO = { h: "/", c: "/companies", p: "/people", s: "/settings" }; // "g" then one of these keys
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

document.documentElement.classList.add("js"); // lets CSS show controls that need this file

let seq = 0;
const uid = (prefix) => `${prefix}-${++seq}`;

// el("li", { class: "x", role: "option" }, child, "text", …)
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  node.append(...children.filter((c) => c != null && c !== ""));
  return node;
}

/* ---------- keyboard shortcuts ---------- */

function isTyping(target) {
  return target instanceof Element && (target.closest("input, textarea, select, [contenteditable]:not([contenteditable=false])") !== null);
}

let gPressedAt = 0; // when "g" was pressed; the second key must follow within 1.5 s

document.addEventListener("keydown", (e) => {
  if (e.defaultPrevented || e.repeat || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
  if (e.key === "?") {
    e.preventDefault();
    toggleHelp();
    return;
  }
  if (document.querySelector("dialog:modal")) return; // a modal is up: its own keys only
  const prefixed = gPressedAt && Date.now() - gPressedAt < 1500;
  gPressedAt = 0;
  if (prefixed && Object.hasOwn(GO, e.key)) {
    e.preventDefault();
    location.assign(GO[e.key]);
  } else if (e.key === "g") {
    gPressedAt = Date.now();
  } else if (e.key === "/") {
    const q = document.querySelector("form.search input[name=q]");
    if (q) {
      e.preventDefault(); // or "/" would be typed into the field
      q.focus();
      q.select();
    }
  } else if (e.key === "n") {
    const a = document.querySelector('a[data-shortcut="n"]');
    if (a) {
      e.preventDefault();
      a.click();
    }
  }
});

// The help overlay shows <template id="shortcut-help"> from the page, or else a list built from
// <body data-help-title data-help-search data-help-home … data-help-close>.
function toggleHelp() {
  let dlg = document.querySelector("dialog.help");
  if (dlg?.open) return dlg.close();
  if (document.querySelector("dialog:modal")) return;
  dlg ??= buildHelp();
  if (!dlg || typeof dlg.showModal !== "function") return;
  dlg.showModal();
}

function buildHelp() {
  const inner = el("div", { class: "inner" });
  const tpl = document.getElementById("shortcut-help");
  if (tpl instanceof HTMLTemplateElement) {
    inner.append(tpl.content.cloneNode(true));
  } else {
    const d = document.body.dataset;
    if (!d.helpTitle) return null;
    const keys = el("dl", { class: "keys" });
    const rows = [["/", d.helpSearch], ["g h", d.helpHome], ["g c", d.helpCompanies], ["g p", d.helpPeople],
      ["g s", d.helpSettings], ["n", d.helpNew], ["?", d.helpHelp]];
    for (const [combo, text] of rows) {
      if (text) keys.append(el("dt", {}, ...combo.split(" ").map((k) => el("kbd", {}, k))), el("dd", {}, text));
    }
    inner.append(el("h2", {}, d.helpTitle), keys);
    if (d.helpClose) {
      inner.append(el("form", { method: "dialog", class: "form-actions" }, el("button", { class: "btn" }, d.helpClose)));
    }
  }
  const dlg = el("dialog", { class: "help" }, inner);
  const h = inner.querySelector("h1, h2, h3");
  if (h) dlg.setAttribute("aria-labelledby", (h.id ||= uid("help-title")));
  // A click on the backdrop lands on the dialog element itself, outside its box.
  dlg.addEventListener("click", (e) => {
    const r = dlg.getBoundingClientRect();
    if (e.target === dlg && (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom)) dlg.close();
  });
  document.body.append(dlg);
  return dlg;
}

/* ---------- suggestions: header live search and pickers share one listbox behaviour ---------- */

// suggest wires a combobox input to a listbox. load(q, signal) resolves to a list of <li> options;
// choose(option) handles an option that is not a link (links simply navigate).
function suggest(input, list, { load, choose }) {
  let timer = 0;
  let ctl = null;
  let active = -1;
  list.id ||= uid("suggest");
  list.setAttribute("role", "listbox");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  const options = () => [...list.querySelectorAll('[role=option]:not([aria-disabled="true"])')];

  function show(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) select(-1);
  }

  function select(i) {
    const opts = options();
    opts.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
    active = i;
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  async function refresh() {
    ctl?.abort(); // a newer keystroke makes the pending answer useless
    const q = input.value.trim();
    if (!q) return show(false);
    ctl = new AbortController();
    try {
      const items = await load(q, ctl.signal);
      list.replaceChildren(...items);
      items.forEach((li) => { li.id ||= uid(list.id); });
      select(-1);
      show(items.length > 0);
    } catch (err) {
      if (err.name !== "AbortError") show(false); // the plain form still works
    }
  }

  function activate(o) {
    const a = o.querySelector("a[href]");
    if (a) location.assign(a.href);
    else choose?.(o);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const n = options().length;
      if (!n) return;
      e.preventDefault();
      if (list.hidden) show(true);
      const down = e.key === "ArrowDown";
      select(down ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault(); // open the option instead of submitting the form
      activate(options()[active]);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      show(false);
    }
  });
  input.addEventListener("blur", () => show(false));
  // Keep focus in the input while clicking the list, so blur does not close it mid-click.
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("mousemove", (e) => {
    const i = options().indexOf(e.target.closest("[role=option]"));
    if (i >= 0 && i !== active) select(i);
  });
  list.addEventListener("click", (e) => {
    const o = e.target.closest('[role=option]:not([aria-disabled="true"])');
    if (!o || e.target.closest("a[href]")) return; // a link: let the browser follow it (new tab too)
    e.preventDefault();
    choose?.(o);
  });
  return { close: () => show(false) };
}

async function fetchSuggestions(url, signal) {
  const res = await fetch(url, { signal, headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!res.ok) throw new Error(`suggest: ${res.status}`);
  return res.json();
}

function optionBody(item, kindLabel) {
  return [kindLabel ? el("span", { class: "kind" }, kindLabel) : null,
    el("span", { class: "name" }, item.name), el("span", { class: "detail" }, item.detail)];
}

// Header search: <form class="search" data-kind-account="…" data-kind-contact="…" data-more="…"
// data-empty="…">; data-suggest overrides the endpoint.
for (const form of document.querySelectorAll("form.search")) {
  const input = form.querySelector("input[name=q]");
  if (!input) continue;
  let list = form.querySelector(".suggest");
  if (!list) form.append((list = el("ul", { class: "suggest", hidden: "" })));
  const d = form.dataset;
  const kindLabel = (kind) => d["kind" + kind.charAt(0).toUpperCase() + kind.slice(1)] || "";
  suggest(input, list, {
    async load(q, signal) {
      const url = `${d.suggest || SUGGEST_URL}?q=${encodeURIComponent(q)}`;
      const data = await fetchSuggestions(url, signal);
      const items = (data.items || []).map((it) =>
        el("li", { role: "option", "aria-selected": "false" },
          el("a", { href: it.url, tabindex: "-1" }, ...optionBody(it, kindLabel(it.kind)))));
      if (items.length && data.more_url && d.more) {
        items.push(el("li", { role: "option", "aria-selected": "false", class: "more" },
          el("a", { href: data.more_url, tabindex: "-1" }, d.more)));
      }
      if (!items.length && d.empty) items.push(el("li", { role: "option", "aria-disabled": "true", class: "none" }, d.empty));
      return items;
    },
  });
}

// Pickers: <input data-pick="account" data-pick-target="#parent_id"> offers records of one kind
// and puts the chosen id into the hidden input named by data-pick-target, the name into itself.
for (const input of document.querySelectorAll("input[data-pick]")) {
  const target = document.querySelector(input.dataset.pickTarget || null);
  if (!target) continue;
  const wrap = el("span", { class: "picker" });
  input.before(wrap);
  const list = el("ul", { class: "suggest", hidden: "" });
  wrap.append(input, list);
  const d = input.dataset;
  const picker = suggest(input, list, {
    async load(q, signal) {
      const url = `${d.suggest || SUGGEST_URL}?kind=${encodeURIComponent(d.pick)}&q=${encodeURIComponent(q)}`;
      const data = await fetchSuggestions(url, signal);
      const items = (data.items || []).map((it) =>
        el("li", { role: "option", "aria-selected": "false", "data-id": it.id, "data-name": it.name },
          el("span", { class: "opt" }, ...optionBody(it))));
      if (!items.length && d.empty) items.push(el("li", { role: "option", "aria-disabled": "true", class: "none" }, d.empty));
      return items;
    },
    choose(o) {
      target.value = o.dataset.id;
      input.value = o.dataset.name;
      target.dispatchEvent(new Event("change", { bubbles: true }));
      picker.close();
    },
  });
  // Typed text no longer names the chosen record: never submit a stale id beside it.
  input.addEventListener("input", () => { target.value = ""; });
}

/* ---------- confirmation before destructive submits ---------- */

// Expects <dialog class="confirm"><form method="dialog"><p data-message></p> … <button value="ok">
// … <button value="cancel"></form></dialog> in the layout; without it, window.confirm.
function ask(dlg, text, okLabel) {
  const msg = dlg.querySelector("[data-message]") || dlg.querySelector("p");
  const ok = dlg.querySelector('button[value="ok"]');
  const okText = ok?.textContent;
  if (msg) msg.textContent = text;
  if (ok && okLabel) ok.textContent = okLabel;
  dlg.returnValue = "";
  dlg.showModal();
  return new Promise((resolve) => {
    dlg.addEventListener("close", () => {
      if (ok && okLabel) ok.textContent = okText;
      resolve(dlg.returnValue === "ok");
    }, { once: true });
  });
}

const confirmed = new WeakSet(); // forms whose next submit the user has already confirmed

document.addEventListener("submit", async (e) => {
  const form = e.target;
  const btn = e.submitter;
  const text = btn?.dataset.confirm ?? form.dataset.confirm;
  if (!text) return;
  if (confirmed.has(form)) {
    confirmed.delete(form);
    return;
  }
  const dlg = document.querySelector("dialog.confirm:not([open])");
  if (!dlg || typeof dlg.showModal !== "function") {
    if (!window.confirm(text)) e.preventDefault(); // synchronous: no resubmit needed
    return;
  }
  e.preventDefault();
  if (await ask(dlg, text, btn?.dataset.confirmOk ?? form.dataset.confirmOk)) {
    confirmed.add(form);
    form.requestSubmit(btn && btn.form === form ? btn : null); // keeps the button's name=value
  }
});

/* ---------- row picking and the bulk bar ---------- */

for (const table of document.querySelectorAll("table")) {
  const boxes = () => [...table.querySelectorAll("tbody td.pick input[type=checkbox]")];
  if (!boxes().length) continue;
  const all = table.querySelector("thead th.pick input[type=checkbox]");
  const bar = table.closest("form, .card, main")?.querySelector(".bulk");
  let last = null; // the box clicked last, anchor of a shift-click range

  const update = () => {
    const list = boxes();
    const n = list.filter((b) => b.checked).length;
    if (all) {
      all.checked = n > 0 && n === list.length;
      all.indeterminate = n > 0 && n < list.length;
    }
    if (bar) {
      bar.hidden = n === 0;
      for (const c of bar.querySelectorAll("[data-count]")) c.textContent = String(n);
    }
  };
  all?.addEventListener("change", () => {
    for (const b of boxes()) b.checked = all.checked;
    update();
  });
  table.addEventListener("click", (e) => {
    const box = e.target.closest("td.pick input[type=checkbox]");
    if (!box) return;
    const list = boxes();
    if (e.shiftKey && last && last !== box) {
      const [a, b] = [list.indexOf(last), list.indexOf(box)].sort((x, y) => x - y);
      for (const other of list.slice(a, b + 1)) other.checked = box.checked;
    }
    last = box;
    update();
  });
  table.addEventListener("change", update);
  addEventListener("pageshow", update); // the browser may restore ticks on Back
  update();
}

/* ---------- flash messages, column picker, nav ---------- */

function dismiss(flash) {
  const hadFocus = flash.contains(document.activeElement);
  const next = flash.parentElement?.querySelector(".flash:not(.leaving) .close:not(:focus)");
  const remove = () => {
    flash.remove();
    if (!hadFocus) return;
    const main = document.getElementById("main");
    if (!next && main && !main.hasAttribute("tabindex")) main.tabIndex = -1; // focusable, not tabbable
    (next || main)?.focus({ preventScroll: true });
  };
  if (reducedMotion.matches) return remove();
  flash.classList.add("leaving");
  setTimeout(remove, 160); // matches the CSS fade
}

document.addEventListener("click", (e) => {
  const close = e.target.closest(".flash .close");
  if (close) dismiss(close.closest(".flash"));
  for (const d of document.querySelectorAll("details.columns[open]")) {
    if (!d.contains(e.target)) d.open = false;
  }
});

document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape") return;
  const d = e.target instanceof Element && e.target.closest("details.columns[open]");
  if (d) {
    d.open = false;
    d.querySelector("summary")?.focus();
  }
});

// On a phone the nav is a horizontal strip: scroll the current page's link into view if it is
// beyond the right edge (scrollIntoView could also scroll the page itself).
const nav = document.querySelector("nav.nav");
const current = nav?.querySelector("a[aria-current]");
if (nav && current && nav.scrollWidth > nav.clientWidth) {
  const right = current.getBoundingClientRect().right - nav.getBoundingClientRect().left;
  if (right > nav.clientWidth) nav.scrollLeft += right - nav.clientWidth + 48;
}
