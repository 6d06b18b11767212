// Checks a published text against the signed ledger in the reader's browser: SHA-256 of the text equals the hash
// in its ledger entry; the checkpoint's signature (Ed25519, or SM2 in 国密 mode) verifies under the published key
// (C2SP signed note);
// the RFC 9162 inclusion proof, computed here from the ledger's static tiles (C2SP tlog-tiles) alone, leads from
// the entry to the checkpoint's root hash; the checkpoint carries valid
// cosignatures (C2SP tlog-cosignature v1) of at least the quorum of the published witnesses.
"use strict";
(function () {
  const list = document.getElementById("verify");
  const result = document.getElementById("verify-result");
  if (!list) return;
  const urls = list.dataset;
  const encoder = new TextEncoder();

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const join = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of parts) { out.set(part, offset); offset += part.length; }
    return out;
  };
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const fromHex = (text) => Uint8Array.from(text.match(/../g) || [], (pair) => parseInt(pair, 16));
  // The tree's hash is the log's own: SHA-256, or SM3 for a log created in 国密 mode (sm-crypto, served with the page).
  const treeName = list.dataset.treeHash === "sm3" ? "SM3" : "SHA-256";
  const treeHash = list.dataset.treeHash === "sm3"
    ? async (bytes) => fromHex(window.sm3(bytes))
    : sha256;
  const same = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
  // Tiles never change, so the browser may keep them; everything else is asked afresh.
  const fetchBytes = async (url, cache = "no-store") => {
    const response = await fetch(url, { cache });
    if (!response.ok) throw new Error(url + " → HTTP " + response.status);
    return new Uint8Array(await response.arrayBuffer());
  };
  // The ledger's times are UTC with microseconds ("…T02:00:00.000000Z"); readers see Beijing time, as on the pages.
  const beijing = (time) => {
    const date = new Date(String(time).replace(/\.(\d{3})\d*Z$/, ".$1Z"));
    if (Number.isNaN(date.getTime())) return String(time);
    const parts = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" };
    return date.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false, ...parts }) + "（北京时间）";
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
        r = await treeHash(join([1], p, r));
        if (fn % 2 === 0) { while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
      } else {
        r = await treeHash(join([1], r, p));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error("包含证明过短");
    return r;
  }

  // C2SP tlog-tiles: a tile of level L and index N holds up to 256 hashes of the tree's level 8·L; a node of level
  // l is the root of 2^(l mod 8) consecutive hashes of one tile of level floor(l / 8). Numbers stay below 2^53, so
  // powers of two are multiplied, never shifted (JavaScript shifts in 32 bits).
  // The tiles sit beside the checkpoint, as the spec lays a log out: <prefix>/checkpoint, <prefix>/tile/….
  const tileBase = new URL("tile/", new URL(urls.checkpoint, location.href)).pathname;
  function tileNodes(size) {
    const tiles = new Map();
    const tilePath = (level, index, width) => {
      const groups = [];
      do { groups.unshift(String(index % 1000).padStart(3, "0")); index = Math.floor(index / 1000); } while (index > 0);
      const path = groups.map((group, i) => (i < groups.length - 1 ? "x" : "") + group).join("/");
      return `${level}/${path}` + (width < 256 ? `.p/${width}` : "");
    };
    const tile = async (level, index) => {
      const key = level + "/" + index;
      if (!tiles.has(key)) {
        const width = Math.min(256, Math.floor(size / 2 ** (8 * level)) - index * 256);
        if (width <= 0) throw new Error("瓦片超出检查点范围");
        const bytes = await fetchBytes(tileBase + tilePath(level, index, width), "default");
        if (bytes.length !== width * 32) throw new Error(`瓦片 ${tilePath(level, index, width)} 的长度不对`);
        tiles.set(key, Array.from({ length: width }, (_, i) => bytes.slice(32 * i, 32 * i + 32)));
      }
      return tiles.get(key);
    };
    const node = async (level, index) => {
      const shift = level % 8, count = 2 ** shift, first = index * count;
      const hashes = await tile(Math.floor(level / 8), Math.floor(first / 256));
      let layer = hashes.slice(first % 256, first % 256 + count);
      if (layer.length !== count) throw new Error("瓦片中缺少所需的节点");
      while (layer.length > 1) {
        const next = [];
        for (let i = 0; i < layer.length; i += 2) next.push(await treeHash(join([1], layer[i], layer[i + 1])));
        layer = next;
      }
      return layer[0];
    };
    // the largest power of two smaller than n > 1, and whether n is one: by doubling, exact to 2^53 (Math.log2
    // rounds, and & works in 32 bits)
    const below = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
    const powerOfTwo = (n) => below(n + 1) === n;
    const levelOf = (n) => { let level = 0; while (2 ** level < n) level += 1; return level; };
    const rangeHash = async (low, high) => {
      const n = high - low;
      if (powerOfTwo(n) && low % n === 0) return node(levelOf(n), low / n);
      const k = below(n);
      return treeHash(join([1], await rangeHash(low, low + k), await rangeHash(low + k, high)));
    };
    // PATH(index, D[size]) of RFC 9162 §2.1.3.1, from the leaf upwards
    const inclusion = async (index) => {
      const ranges = [];
      let low = 0, high = size;
      while (high - low > 1) {
        const k = below(high - low);
        if (index - low < k) { ranges.push([low + k, high]); high = low + k; }
        else { ranges.push([low, low + k]); low += k; }
      }
      const path = [];
      for (const [a, b] of ranges.reverse()) path.push(await rangeHash(a, b));
      return path;
    };
    return { inclusion, count: () => tiles.size };
  }

  // C2SP signed note: the signed text ends at the blank line; each signature line is "— name base64(keyid ‖ sig)".
  async function checkSignature(note, verifier) {
    const { name, keyId, verify } = await parseKey(verifier, ["ed25519", "sm2"]);
    const shown = document.querySelector("[data-key-id]");
    if (shown) shown.textContent = name + "+" + keyId;
    const split = note.indexOf("\n\n");
    const body = note.slice(0, split + 1);
    if (body.split("\n")[0] !== name) throw new Error("检查点的来源与验证公钥的名称不符");
    for (const line of note.slice(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 " + name + " ")) continue;
      let signature;
      try { signature = fromBase64(line.slice(name.length + 3)); } catch (error) { continue; }  // not base64: not ours
      if (hex(signature.slice(0, 4)) !== keyId) continue;
      if (await verify(signature.slice(4), encoder.encode(body))) {
        const [, size, root] = body.split("\n");
        return { size: Number(size), root: fromBase64(root) };
      }
    }
    return null;
  }

  // A signed-note verifier key, name+keyid+base64(type ‖ key) — the base64 may itself contain "+", so split at the
  // first two only. Types: 0x01 Ed25519, 0x04 a witness's Ed25519, and for 国密 mode 0xff "sm2-sm3\n" then the
  // 65-byte SM2 point (ledger/sm2.py). Returns its name, key ID and a verify(signature, message) for its kind.
  const SM2_PREFIX = join([0xff], encoder.encode("sm2-sm3\n"));
  async function parseKey(text, allowed) {
    const trimmed = text.trim(), first = trimmed.indexOf("+"), second = trimmed.indexOf("+", first + 1);
    const name = trimmed.slice(0, first), keyId = trimmed.slice(first + 1, second);
    const keyBytes = fromBase64(trimmed.slice(second + 1));
    const sm2 = keyBytes.length === SM2_PREFIX.length + 65 && same(keyBytes.slice(0, SM2_PREFIX.length), SM2_PREFIX);
    const kind = sm2 ? "sm2" : keyBytes.length === 33 ? { 1: "ed25519", 4: "cosigner" }[keyBytes[0]] : undefined;
    if (!allowed.includes(kind)) throw new Error("公钥类型不符：" + trimmed);
    const expectedId = (await sha256(join(encoder.encode(name + "\n"), keyBytes))).slice(0, 4);
    if (hex(expectedId) !== keyId) throw new Error("公钥的标识与公钥不符：" + trimmed);
    if (sm2) {
      const point = hex(keyBytes.slice(SM2_PREFIX.length));  // SM3 with the standard user ID 1234567812345678
      const verify = async (signature, message) =>
        window.sm2.doVerifySignature(Array.from(message), hex(signature), point, { der: true, hash: true });
      return { name, keyId, verify };
    }
    const key = await crypto.subtle.importKey("raw", keyBytes.slice(1), { name: "Ed25519" }, false, ["verify"]);
    const verify = (signature, message) => crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    return { name, keyId, verify };
  }

  // The witnesses whose valid cosignature the note carries: "— name base64(keyid ‖ u64 time ‖ sig)", the signature
  // over "cosignature/v1\ntime <t>\n" and the checkpoint's text.
  async function cosigners(note, witnesses) {
    const split = note.indexOf("\n\n"), body = note.slice(0, split + 1), found = new Set();
    for (const line of note.slice(split + 2).split("\n")) {
      for (const witness of witnesses) {
        if (found.has(witness.name) || !line.startsWith("\u2014 " + witness.name + " ")) continue;
        let raw;
        try { raw = fromBase64(line.slice(witness.name.length + 3)); } catch (error) { continue; }
        if (raw.length !== 76 || hex(raw.slice(0, 4)) !== witness.keyId) continue;
        const time = new DataView(raw.buffer, 4, 8).getBigUint64(0);
        const message = encoder.encode("cosignature/v1\ntime " + time + "\n" + body);
        if (await witness.verify(raw.slice(12), message)) found.add(witness.name);
      }
    }
    return found.size;
  }

  async function witnessed(note) {
    const [head, ...keys] = new TextDecoder().decode(await fetchBytes(urls.witnesses)).trim().split("\n");
    const quorum = Number(head.split(" ")[1]);
    const item = list.querySelector('[data-step="witnesses"]');
    if (quorum === 0) {
      item.append(" — 本系统未配置见证方");
      return 0;
    }
    const witnesses = await Promise.all(keys.map((key) => parseKey(key, ["cosigner"])));
    const count = await cosigners(note, witnesses);
    const detail = `${witnesses.length} 个见证方中 ${count} 个联署，要求 ${quorum} 个`;
    if (count >= quorum) {
      mark("witnesses", true, detail);
      return count;
    }
    item.classList.add("warn");
    item.dataset.result = "warn";
    item.append(" — " + detail + "，未达到要求");
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
    mark("entry", ours && entry.data.sha256 === textHash, "#" + entry.index + " " + beijing(entry.time), ours
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
    const tiles = tileNodes(checkpoint.size);
    const path = await tiles.inclusion(entry.index);
    const leaf = await treeHash(join([0], entryBytes));
    const root = await rootFromProof(entry.index, checkpoint.size, leaf, path);
    mark("proof", same(root, checkpoint.root), `由 ${tiles.count()} 个账本瓦片算出的证明路径含 ${path.length} 个 ${treeName} 哈希值`,
      `由条目和包含证明算出的根哈希是 ${hex(root)}，签名检查点的根哈希是 ${hex(checkpoint.root)}，二者不一致`);
    const witnesses = await witnessed(note);
    if (witnesses === null) {
      result.textContent = "核验未完成：公开文本与账本记录一致，但最新检查点的见证联署尚未达到要求，" +
        "还不能排除账本向不同读者展示不同历史。请稍后再核验。";
      result.classList.add("warn");
      result.dataset.result = "warn";
      return;
    }
    result.textContent = "核验通过：公开文本与账本记录一致，账本由签名检查点确认" +
      (witnesses ? `，并由 ${witnesses} 个独立见证方联署。` : "。");
    result.classList.add("ok");
    result.dataset.result = "ok";
  }

  run().catch((error) => {
    result.textContent = (error instanceof Failed ? "核验未通过：" : "核验无法完成：") + error.message;
    result.classList.add("bad");
    result.dataset.result = "bad";
  });
})();
