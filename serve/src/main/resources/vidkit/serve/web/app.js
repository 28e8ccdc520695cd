// vidkit's page: talks only to the JSON API of the same server (see GET /v1/info).
"use strict";

const state = { info: null, offset: 0, limit: 50, prefix: "", items: [], selected: null };
const $ = (id) => document.getElementById(id);

function setStatus(text, isError) {
  const s = $("status");
  s.textContent = text;
  s.className = isError ? "error" : "";
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) {
    const e = body.error || {};
    throw new Error(`${response.status} ${e.type || ""}: ${e.message || response.statusText}`);
  }
  return body;
}

function postJson(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function loadInfo() {
  state.info = await api("/v1/info");
  const i = state.info;
  $("info").textContent = i.matching
    ? `${i.libraryItems.toLocaleString()} audio clips in the library · ${i.search} search · ` +
      `clips of ${i.frames} × ${i.videoDim} video features` + (i.tagger ? " · tagger" : "") + (i.reranker ? " · re-ranker" : "")
    : `${i.videoLibraryItems.toLocaleString()} videos in the video library · similar videos` +
      (i.similarityRun ? " by a similarity run" : "");
  $("shape").textContent = `[${i.frames}, ${i.videoDim}]`;
  // a server for similar videos only: no matching, heatmap or uploads
  for (const section of ["match-section", "batch-section", "upload-section"]) $(section).hidden = !i.matching;
  if (!i.matching) $("status").textContent = "Pick a video on the left: its nearest videos, with their labels to judge them by.";
  $("rerank-box").hidden = !i.reranker;
  $("tags-section").hidden = !i.tagger;
  $("ask-section").hidden = !i.answerer;
  $("similar-section").hidden = !i.videoLibrary;
  $("batch").disabled = !i.features;
}

async function loadItems() {
  const q = new URLSearchParams({ offset: state.offset, limit: state.limit, prefix: state.prefix });
  const page = await api(`/v1/items?${q}`);
  state.items = page.items;
  const ul = $("items");
  ul.replaceChildren();
  for (const item of page.items) {
    const li = document.createElement("li");
    li.dataset.id = item.id;
    li.textContent = item.id + " ";
    const labels = item.labelName || (item.labels ? item.labels.join(", ") : "");
    if (labels) {
      const small = document.createElement("small");
      small.textContent = labels;
      li.append(small);
    }
    li.addEventListener("click", () => select(item.id));
    if (item.id === state.selected) li.classList.add("selected");
    ul.append(li);
  }
  const end = Math.min(page.total, state.offset + page.items.length);
  $("range").textContent = page.total ? `${state.offset + 1}–${end} of ${page.total}` : "none";
  $("prev").disabled = state.offset === 0;
  $("next").disabled = end >= page.total;
}

function bar(score, scale) {
  const span = document.createElement("span");
  span.className = "bar";
  span.style.width = `${Math.max(1, Math.round(Math.max(0, score) * scale))}px`;
  return span;
}

function showMatches(result, videoId) {
  $("match-mode").textContent = `(${result.search}${result.reranked ? `, ${result.reranked} re-ranked` : ""})`;
  const tbody = $("matches").querySelector("tbody");
  tbody.replaceChildren();
  for (const hit of result.hits) {
    const tr = document.createElement("tr");
    tr.dataset.id = hit.id;
    if (hit.id === videoId) tr.className = "original";
    const cells = [hit.rank, hit.id + (hit.id === videoId ? " ✓ original" : ""), hit.score.toFixed(4)];
    for (const c of cells) {
      const td = document.createElement("td");
      td.textContent = c;
      tr.append(td);
    }
    const td = document.createElement("td");
    td.append(bar((hit.score + 1) / 2, 160)); // cosine similarity in [-1, 1]
    tr.append(td);
    tbody.append(tr);
  }
}

// one row per entry: its name, a bar of its value and the value (tags with their scores, answers with their probabilities)
function showBars(div, entries, className) {
  div.replaceChildren();
  for (const { name, value } of entries) {
    const row = document.createElement("div");
    row.className = className;
    row.dataset.name = name;
    const label = document.createElement("span");
    label.textContent = name;
    const wrap = document.createElement("span");
    wrap.append(bar(value, 240));
    const number = document.createElement("span");
    number.textContent = value.toFixed(3);
    row.append(label, wrap, number);
    div.append(row);
  }
}

function showTags(tags) {
  showBars($("tags"), tags.map((t) => ({ name: t.name, value: t.score })), "tag");
}

// the nearest videos, each with its labels (when the server knows them) so a person can judge them
function showSimilar(result, id) {
  $("similar-of").textContent = result.labels ? `(of ${id}: ${result.labels.join(", ")})` : `(of ${id})`;
  const ol = $("similar");
  ol.replaceChildren();
  for (const h of result.hits) {
    const li = document.createElement("li");
    li.dataset.id = h.id;
    li.append(`${h.id} (${h.score.toFixed(4)}) `);
    if (h.labels) {
      const small = document.createElement("small");
      small.className = "labels";
      small.textContent = h.labels.join(", ");
      li.append(small);
    }
    ol.append(li);
  }
}

// the question box under the chosen video: POST /v1/ask, the top answers with their probabilities
async function ask(event) {
  event.preventDefault();
  const question = $("question").value;
  if (!state.selected) {
    setStatus("Pick a video first, then ask about it.", true);
    return;
  }
  try {
    const result = await postJson("/v1/ask", { id: state.selected, question, k: 5 });
    showBars($("answers"), result.answers.map((a) => ({ name: a.answer, value: a.probability })), "tag answer");
    setStatus(`${state.selected}: "${result.question}" → ${result.answer}`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

async function select(id) {
  state.selected = id;
  $("ask-of").textContent = `(${id})`;
  $("answers").replaceChildren();
  for (const li of $("items").children) li.classList.toggle("selected", li.dataset.id === id);
  setStatus(`Querying ${id} …`);
  if (!state.info.matching) {
    try {
      const similar = await postJson("/v1/similar", { id, k: 10 });
      showSimilar(similar, id);
      setStatus(`${id}: its ${similar.hits.length} nearest videos.`);
    } catch (e) {
      setStatus(e.message, true);
    }
    return;
  }
  try {
    const rerank = $("rerank").checked;
    const match = await postJson("/v1/match", { id, k: 10, rerank });
    showMatches(match, id);
    if (state.info.tagger) showTags((await postJson("/v1/tags", { id, k: 5 })).tags);
    if (state.info.videoLibrary) showSimilar(await postJson("/v1/similar", { id, k: 5 }), id);
    const rank = match.hits.findIndex((h) => h.id === id);
    setStatus(`${id}: ${rank >= 0 ? `its original audio is at rank ${rank + 1}` : "its original audio is not in the top 10"} ` +
      `(search took ${match.tookMillis.toFixed(1)} ms).`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

// An .npy of video features, or a video file (extracted by the server like `vidkit extract`).
async function upload(file) {
  const npy = file.name.toLowerCase().endsWith(".npy");
  setStatus(npy ? `Uploading ${file.name} …` : `Uploading and extracting ${file.name} …`);
  try {
    const bytes = await file.arrayBuffer();
    const rerank = $("rerank").checked;
    const type = npy ? "application/x-npy" : (file.type.startsWith("video/") ? file.type : "video/unknown");
    const match = await api(`/v1/match?k=10&rerank=${rerank}`, { method: "POST", headers: { "Content-Type": type }, body: bytes });
    state.selected = null;
    showMatches(match, null);
    $("tags").replaceChildren();
    if (!npy && state.info && state.info.tagger) {
      try {
        const tags = await api("/v1/tags?k=5", { method: "POST", headers: { "Content-Type": type }, body: bytes });
        showTags(tags.tags);
      } catch (e) {
        // the tagger may have been trained on other features: the matches stand on their own
      }
    }
    setStatus(`${file.name}: top ${match.hits.length} audio clips` +
      (npy ? " (tags need both modalities, so pick a library item for them)." : "."));
  } catch (e) {
    setStatus(`${file.name}: ${e.message}`, true);
  }
}

// "drop a video file": anywhere on the upload box
for (const ev of ["dragenter", "dragover"]) {
  $("dropzone").addEventListener(ev, (e) => { e.preventDefault(); $("dropzone").classList.add("over"); });
}
$("dropzone").addEventListener("dragleave", () => $("dropzone").classList.remove("over"));
$("dropzone").addEventListener("drop", (e) => {
  e.preventDefault();
  $("dropzone").classList.remove("over");
  if (e.dataTransfer.files.length) upload(e.dataTransfer.files[0]);
});

async function heatmap() {
  const ids = [];
  const start = Math.max(0, state.items.findIndex((i) => i.id === state.selected));
  for (let i = start; i < state.items.length && ids.length < 16; i++) ids.push(state.items[i].id);
  if (ids.length < 2) {
    setStatus("Pick an item that has at least one more after it.", true);
    return;
  }
  try {
    const r = await postJson("/v1/similarity", { ids });
    drawHeatmap(r.ids, r.matrix);
    setStatus(`Similarity of ${ids.length} clips drawn.`);
  } catch (e) {
    setStatus(e.message, true);
  }
}

function drawHeatmap(ids, m) {
  const canvas = $("heatmap");
  const ctx = canvas.getContext("2d");
  const n = ids.length;
  const margin = 90;
  const cell = Math.floor((canvas.width - margin) / n);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  let lo = Infinity, hi = -Infinity;
  for (const row of m) for (const v of row) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const t = hi > lo ? (m[i][j] - lo) / (hi - lo) : 0.5;
      ctx.fillStyle = `rgb(${Math.round(255 * t)}, ${Math.round(80 + 100 * t)}, ${Math.round(255 * (1 - t))})`;
      ctx.fillRect(margin + j * cell, margin + i * cell, cell - 1, cell - 1);
      if (i === j) {
        ctx.strokeStyle = "#000";
        ctx.strokeRect(margin + j * cell + 0.5, margin + i * cell + 0.5, cell - 2, cell - 2);
      }
    }
  }
  ctx.fillStyle = "#1d2329";
  ctx.font = "10px sans-serif";
  for (let i = 0; i < n; i++) {
    ctx.fillText(ids[i], 2, margin + i * cell + cell / 2 + 3);
    ctx.save();
    ctx.translate(margin + i * cell + cell / 2 + 3, margin - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(ids[i], 0, 0);
    ctx.restore();
  }
  canvas.dataset.cells = String(n * n);
}

$("prefix").addEventListener("input", (e) => { state.prefix = e.target.value; state.offset = 0; loadItems(); });
$("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - state.limit); loadItems(); });
$("next").addEventListener("click", () => { state.offset += state.limit; loadItems(); });
$("upload").addEventListener("change", (e) => { if (e.target.files.length) upload(e.target.files[0]); });
$("batch").addEventListener("click", heatmap);
$("ask-form").addEventListener("submit", ask);

// a link such as /#id=0005&heatmap=1 opens with that item selected (and the batch heatmap drawn)
async function fromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const id = params.get("id");
  if (!id) return;
  state.prefix = "";
  await select(id);
  if (!state.items.some((i) => i.id === id)) state.items = [{ id }, ...state.items];
  if (params.get("heatmap") === "1") {
    const page = await api(`/v1/items?${new URLSearchParams({ offset: 0, limit: 1000 })}`);
    const at = page.items.findIndex((i) => i.id === id);
    state.items = page.items.slice(Math.max(0, at));
    await heatmap();
  }
}

loadInfo().then(loadItems).then(fromHash).then(() => { document.body.dataset.ready = "true"; })
  .catch((e) => setStatus(e.message, true));
