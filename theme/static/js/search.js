/* Diplomatic Wire: full-text search with Pagefind, entirely in the browser.
   The index is one Pagefind bundle per year, in SITEURL/pagefind/YYYY/ (built by
   `make html`, newest first in data-bundles): this module loads pagefind.js from
   the first on first use, so other pages never pay for it, and merges the others. */
const app = document.getElementById("search-app");
const form = app.querySelector("form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const PAGE_SIZE = 10;

let engine = null;
let generation = 0;
let pending = [];
let timer = 0;

function pagefind() {
  if (!engine) {
    const base = app.dataset.base;
    const [first, ...others] = app.dataset.bundles.split(" ").filter(Boolean).map((path) => base + path);
    engine = !first ? Promise.resolve(null) : import(first + "pagefind.js").then(async (pf) => {
      await pf.options({ baseUrl: base, excerptLength: 28 });
      for (const bundle of others) await pf.mergeIndex(bundle, { baseUrl: base });
      await pf.init();
      return pf;
    });
    engine.catch(() => { engine = null; });
  }
  return engine;
}

/* Pagefind excerpts are HTML with <mark> around matches: keep the text and the
   marks, never any other markup. */
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const fragment = document.createDocumentFragment();
  for (const node of doc.body.firstChild ? doc.body.firstChild.childNodes : []) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(document.createTextNode(node.textContent));
    }
  }
  return fragment;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function renderResult(data) {
  const item = element("li", "story-item");
  const article = element("article");
  const heading = element("h2", "headline");
  const link = element("a", "", data.meta.title || data.url);
  link.href = data.url;
  heading.append(link);
  article.append(heading);
  const facts = [["place", data.meta.place], ["date", data.meta.date]].filter((fact) => fact[1]);
  if (facts.length) {
    const meta = element("p", "meta");
    facts.forEach(([kind, text], index) => {
      if (index) {
        const sep = element("span", "sep", "·");
        sep.setAttribute("aria-hidden", "true");
        meta.append(" ", sep, " ");
      }
      meta.append(element("span", kind, text));
    });
    article.append(meta);
  }
  const excerpt = element("p", "summary");
  excerpt.append(excerptNodes(data.excerpt));
  article.append(excerpt);
  item.append(article);
  return item;
}

async function showMore(run) {
  const batch = pending.splice(0, PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (run !== generation) return;
  list.append(...data.map(renderResult));
  more.hidden = pending.length === 0;
}

function setStatus(text) {
  if (status.textContent !== text) status.textContent = text;
}

async function search(query) {
  const run = ++generation;
  query = query.trim();
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
  if (!query) {
    pending = [];
    list.replaceChildren();
    more.hidden = true;
    setStatus("");
    return;
  }
  setStatus("Searching…");
  try {
    const pf = await pagefind();
    const found = pf ? await pf.search(query) : { results: [] };
    if (run !== generation) return;
    pending = found.results.slice();
    const count = pending.length;
    list.replaceChildren();
    await showMore(run);
    if (run !== generation) return;
    setStatus(count === 0
      ? `No stories match “${query}”.`
      : `${count} ${count === 1 ? "story matches" : "stories match"} “${query}”.`);
  } catch (error) {
    if (run !== generation) return;
    setStatus("Search is not available right now. Browse the archives instead.");
    console.error(error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(timer);
  search(input.value);
});
input.addEventListener("input", () => {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => search(input.value), 250);
});
input.addEventListener("focus", () => { pagefind(); }, { once: true });
more.addEventListener("click", () => {
  const first = list.children.length;
  showMore(generation).then(() => {
    const link = list.children[first] && list.children[first].querySelector("a");
    if (link) link.focus();
  });
});

const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  search(initial);
}
