// The capture queue of the evidence page: a photo, video or recording taken with the phone is hashed at once
// (sha256.js), kept in IndexedDB with its hash until the server has it, and sent by tus 1.0 (resumable, a piece at a
// time) to /api/v1/uploads; when the network drops, the queue waits and resumes from the offset the server reports.
// Written here rather than taken from tus-js-client: that comes from npm and needs a build step we do not have.
(function () {
  "use strict";
  const panel = document.querySelector("[data-capture-queue]");
  if (!panel || !window.indexedDB || !window.fetch) return;
  const CHUNK = 2 * 1024 * 1024;
  const RETRY_MS = 3000;
  // The case or inspection of this page; each capture keeps its own, so one queued on another page resumes there.
  const owner = { [panel.dataset.ownerKind]: panel.dataset.ownerId };
  const ownerLabel = panel.dataset.ownerLabel;
  const endpoint = panel.dataset.endpoint;
  const list = panel.querySelector("ol.queue");
  const form = document.querySelector("form[data-upload-progress]");
  const csrf = panel.querySelector("[name=csrfmiddlewaretoken]").value;
  const TUS = { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf };
  let running = false;

  function database() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open("sanxiang-captures", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("captures", { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function store(mode, work) {
    const db = await database();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("captures", mode);
      const request = work(transaction.objectStore("captures"));
      transaction.oncomplete = () => resolve(request && request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const save = (record) => store("readwrite", (captures) => captures.put(record));
  const remove = (id) => store("readwrite", (captures) => captures.delete(id));
  const all = () => store("readonly", (captures) => captures.getAll());

  function row(record) {
    let item = list.querySelector(`li[data-id="${record.id}"]`);
    if (!item) {
      item = document.createElement("li");
      item.className = "card";
      item.dataset.id = record.id;
      item.innerHTML = '<div class="name"></div><progress max="1" value="0"></progress><div class="muted state"></div>';
      list.append(item);
    }
    item.querySelector(".name").textContent = `${record.name}（${record.ownerLabel}；SHA-256 ${record.sha256.slice(0, 12)}…）`;
    item.querySelector("progress").max = record.size || 1;
    item.querySelector("progress").value = record.offset || 0;
    item.querySelector(".state").textContent = record.message || "";
    item.dataset.state = record.state;
  }

  function b64(text) {
    return btoa(Array.from(new TextEncoder().encode(String(text)), (byte) => String.fromCharCode(byte)).join(""));
  }

  async function refusal(response) {
    try { return (await response.json()).error.message; } catch (error) { return `服务器拒绝（${response.status}）`; }
  }

  async function create(record) {
    const metadata = { filename: record.name, ...record.owner, sha256: record.sha256, ...record.details };
    const response = await fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { ...TUS, "Upload-Length": String(record.size), "Upload-Metadata": Object.entries(metadata).filter(([, value]) => value !== "").map(([key, value]) => `${key} ${b64(value)}`).join(",") },
    });
    if (response.status !== 201) throw { refused: await refusal(response) };
    record.location = response.headers.get("Location");
    await save(record);
  }

  async function offset(record) {
    const response = await fetch(record.location, { method: "HEAD", credentials: "same-origin", headers: TUS });
    if (response.status === 404 || response.status === 410) { record.location = null; return null; } // start again
    if (response.status === 423) return undefined;
    if (!response.ok) throw { refused: `服务器拒绝（${response.status}）` };
    return Number(response.headers.get("Upload-Offset"));
  }

  async function piece(record) {
    const slice = record.blob.slice(record.offset, record.offset + CHUNK);
    const headers = { ...TUS, "Upload-Offset": String(record.offset), "Content-Type": "application/offset+octet-stream" };
    const bytes = await slice.arrayBuffer();
    if (window.crypto && window.crypto.subtle) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      headers["Upload-Checksum"] = `sha256 ${btoa(String.fromCharCode(...digest))}`;
    }
    const response = await fetch(record.location, { method: "PATCH", credentials: "same-origin", headers, body: bytes });
    if (response.status === 409 || response.status === 423 || response.status === 460) return false; // ask HEAD again
    if (response.status !== 204) throw { refused: await refusal(response) };
    record.offset = Number(response.headers.get("Upload-Offset"));
    record.evidence = response.headers.get("Evidence-Id");
    return true;
  }

  async function send(record) {
    for (;;) {
      if (!record.location) await create(record);
      const at = await offset(record);
      if (at === null) continue;
      if (at === undefined) { await new Promise((done) => setTimeout(done, 500)); continue; }
      record.offset = at;
      record.state = "uploading";
      while (record.offset < record.size) {
        record.message = `上传中 ${Math.floor((record.offset / record.size) * 100)}%`;
        row(record);
        if (!(await piece(record))) break;
      }
      if (record.offset === record.size) return;
    }
  }

  async function pump() {
    if (running) return;
    running = true;
    try {
      for (const record of await all()) {
        try {
          await send(record);
          await remove(record.id);
          record.state = "done";
          record.message = `已登记为证据，服务器核对哈希一致。`;
          row(record);
        } catch (error) {
          if (error && error.refused) {
            record.state = "refused";
            record.message = `未登记：${error.refused}`;
            await remove(record.id);
          } else {
            record.state = "waiting";
            record.message = "网络中断，已保存在本机，恢复后自动续传。";
            setTimeout(pump, RETRY_MS);
          }
          row(record);
          if (record.state === "waiting") break;
        }
      }
    } finally {
      running = false;
    }
  }

  function details() {
    const value = (name) => (form.querySelector(`[name=${name}]`) || { value: "" }).value.trim();
    return { act: value("act"), kind: value("kind"), description: value("description"), device: value("device"), place: value("place") };
  }

  panel.querySelector("input[type=file]").addEventListener("change", async (event) => {
    const note = panel.querySelector(".capture-error");
    note.textContent = "";
    const chosen = details();
    if (!chosen.description) { note.textContent = "请先在下方表单填写摄录内容，再拍摄或选择文件。"; event.target.value = ""; return; }
    for (const file of event.target.files) {
      const record = { name: file.name, owner, ownerLabel, size: file.size, blob: file, details: chosen, offset: 0, state: "hashing", capturedAt: new Date().toISOString(), sha256: "" };
      record.sha256 = await window.SanxiangSha256.hashBlob(file);
      record.state = "queued";
      record.message = "已计算哈希，排队上传。";
      record.id = await save(record);
      row(record);
    }
    event.target.value = "";
    pump();
  });
  window.addEventListener("online", pump);
  all().then((records) => { records.forEach((record) => { record.message = "待续传"; row(record); }); pump(); });
})();
