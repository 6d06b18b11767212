// Checks a published text against the signed ledger in the reader's browser: SHA-256 of the text equals the hash
// in its ledger entry; the checkpoint's Ed25519 signature verifies under the published key (C2SP signed note);
// the RFC 9162 inclusion proof leads from the entry to the checkpoint's root hash.
"use strict";
(function () {
  const list = document.getElementById("verify");
  const result = document.getElementById("verify-result");
  if (!list) return;
  const urls = list.dataset;
  const encoder = new TextEncoder();

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const fromHex = (text) => Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const join = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) { out.set(part, offset); offset += part.length; }
    return out;
  };
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
  const fetchBytes = async (url) => {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Error(url + " → HTTP " + response.status);
    return new Uint8Array(await response.arrayBuffer());
  };
  // A check that ran and found a difference, as against one that could not run (a page that did not load).
  class Failed extends Error {}
  // A step's label says what must hold; a failed step says instead what differs, with both values.
  const mark = (step, ok, detail, failure) => {
    const item = list.querySelector(`[data-step="${step}"]`);
    item.classList.add(ok ? "ok" : "bad");
    item.dataset.result = ok ? "ok" : "bad";
    if (ok && detail) item.append(" — " + detail);
    if (!ok) {
      item.append(" — ✗ " + failure);
      throw new Failed(failure);
    }
  };

  // RFC 9162 §2.1.3.2: recompute the root from the leaf hash and the audit path.
  async function rootFromProof(index, size, leaf, path) {
    if (index >= size) throw new Error("条目序号超出检查点范围");
    let fn = index, sn = size - 1, r = leaf;
    for (const p of path) {
      if (sn === 0) throw new Error("包含证明过长");
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(join([1], p, r));
        if (fn % 2 === 0) { while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
      } else {
        r = await sha256(join([1], r, p));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error("包含证明过短");
    return r;
  }

  // C2SP signed note: the signed text ends at the blank line; each signature line is "— name base64(keyid ‖ sig)".
  async function checkSignature(note, verifier) {
    // name+keyid+key: the base64 key may itself contain "+", so split at the first two only
    const text = verifier.trim(), first = text.indexOf("+"), second = text.indexOf("+", first + 1);
    const name = text.slice(0, first), keyId = text.slice(first + 1, second), keyText = text.slice(second + 1);
    const keyBytes = fromBase64(keyText);
    if (keyBytes[0] !== 1 || keyBytes.length !== 33) throw new Error("验证公钥不是 Ed25519 公钥");
    const expectedId = (await sha256(join(encoder.encode(name + "\n"), keyBytes))).slice(0, 4);
    if (hex(expectedId) !== keyId) throw new Error("验证公钥的标识与公钥不符");
    const shown = document.querySelector("[data-key-id]");
    if (shown) shown.textContent = name + "+" + keyId;
    const split = note.indexOf("\n\n");
    const body = note.slice(0, split + 1);
    if (body.split("\n")[0] !== name) throw new Error("检查点的来源与验证公钥的名称不符");
    const key = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
    for (const line of note.slice(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 " + name + " ")) continue;
      const signature = fromBase64(line.slice(name.length + 3));
      if (hex(signature.slice(0, 4)) !== keyId) continue;
      if (await crypto.subtle.verify({ name: "Ed25519" }, key, signature.slice(4), encoder.encode(body))) {
        const [, size, root] = body.split("\n");
        return { size: Number(size), root: fromBase64(root) };
      }
    }
    return null;
  }

  async function run() {
    const text = await fetchBytes(urls.text);
    const textHash = hex(await sha256(text));
    mark("text", true, textHash);

    const entryBytes = await fetchBytes(urls.entry);
    const entry = JSON.parse(new TextDecoder().decode(entryBytes));
    // the entry must be this decision's publication of this version, not any entry carrying the same hash
    const ours = entry.action === "publication.publish" && entry.subject === urls.subject && entry.data
      && entry.data.version_number === Number(urls.version) && entry.index === Number(urls.index);
    mark("entry", ours && entry.data.sha256 === textHash, "#" + entry.index + " " + entry.time, ours
      ? `公开文本的 SHA-256 是 ${textHash}，账本条目 #${entry.index} 记载的是 ${entry.data.sha256}，二者不一致`
      : `账本条目 #${entry.index}（${entry.action}，${entry.subject}）不是本决定第 ${urls.version} 版的公示记录`);

    const note = new TextDecoder().decode(await fetchBytes(urls.checkpoint));
    const verifier = new TextDecoder().decode(await fetchBytes(urls.key));
    const checkpoint = await checkSignature(note, verifier);
    mark("signature", checkpoint !== null, checkpoint ? "检查点覆盖 " + checkpoint.size + " 条记录" : "",
      "检查点上没有能用公布的验证公钥验证的签名");

    if (entry.index >= checkpoint.size) {
      result.textContent = "该条目尚未纳入最新的签名检查点，请稍后再核验。";
      result.classList.add("warn");
      return;
    }
    const proof = JSON.parse(new TextDecoder().decode(
      await fetchBytes(`${urls.proof}?index=${entry.index}&size=${checkpoint.size}`)));
    const leaf = await sha256(join([0], entryBytes));
    const root = await rootFromProof(entry.index, checkpoint.size, leaf, proof.proof.map(fromHex));
    mark("proof", same(root, checkpoint.root), "证明路径含 " + proof.proof.length + " 个哈希值",
      `由条目和包含证明算出的根哈希是 ${hex(root)}，签名检查点的根哈希是 ${hex(checkpoint.root)}，二者不一致`);
    result.textContent = "核验通过：公开文本与账本记录一致，账本由签名检查点确认。";
    result.classList.add("ok");
    result.dataset.result = "ok";
  }

  run().catch((error) => {
    result.textContent = (error instanceof Failed ? "核验未通过：" : "核验无法完成：") + error.message;
    result.classList.add("bad");
    result.dataset.result = "bad";
  });
})();
