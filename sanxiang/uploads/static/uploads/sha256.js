// SHA-256 of a capture on the device, at capture time (the chain of custody starts at the lens).
// WebCrypto's digest takes one whole buffer, so it is used for files up to WHOLE_LIMIT only; a longer video is
// hashed here, incrementally, a slice at a time, in constant memory. WebCrypto is also missing on a page served over
// plain HTTP (not a secure context): then every file is hashed here. Tested against the NIST vectors.
(function () {
  "use strict";
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  const WHOLE_LIMIT = 32 * 1024 * 1024;
  const SLICE = 4 * 1024 * 1024;

  class Sha256 {
    constructor() {
      this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
      this.block = new Uint8Array(64);
      this.filled = 0;
      this.length = 0; // bytes
      this.w = new Uint32Array(64);
    }
    update(bytes) {
      let at = 0;
      this.length += bytes.length;
      while (at < bytes.length) {
        const take = Math.min(64 - this.filled, bytes.length - at);
        this.block.set(bytes.subarray(at, at + take), this.filled);
        this.filled += take;
        at += take;
        if (this.filled === 64) { this.compress(this.block); this.filled = 0; }
      }
      return this;
    }
    compress(b) {
      const w = this.w, h = this.h;
      for (let i = 0; i < 16; i++) w[i] = (b[i * 4] << 24) | (b[i * 4 + 1] << 16) | (b[i * 4 + 2] << 8) | b[i * 4 + 3];
      for (let i = 16; i < 64; i++) {
        const a = w[i - 15], c = w[i - 2];
        const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        const s1 = ((c >>> 17) | (c << 15)) ^ ((c >>> 19) | (c << 13)) ^ (c >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let [a, bb, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
        hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    hex() {
      const bits = this.length * 8;
      const pad = new Uint8Array(((this.filled < 56 ? 56 : 120) - this.filled) + 8);
      pad[0] = 0x80;
      const view = new DataView(pad.buffer);
      view.setUint32(pad.length - 8, Math.floor(bits / 0x100000000));
      view.setUint32(pad.length - 4, bits >>> 0);
      const length = this.length;
      this.update(pad);
      this.length = length;
      return Array.from(this.h, (word) => word.toString(16).padStart(8, "0")).join("");
    }
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // The SHA-256 (hex) of a Blob or File; progress(done, total) while a long one is read.
  async function hashBlob(blob, { threshold = WHOLE_LIMIT, progress } = {}) {
    const subtle = window.crypto && window.crypto.subtle;
    if (subtle && blob.size <= threshold) return hex(await subtle.digest("SHA-256", await blob.arrayBuffer()));
    const state = new Sha256();
    for (let at = 0; at < blob.size; at += SLICE) {
      state.update(new Uint8Array(await blob.slice(at, at + SLICE).arrayBuffer()));
      if (progress) progress(Math.min(at + SLICE, blob.size), blob.size);
    }
    return state.hex();
  }

  window.SanxiangSha256 = { Sha256, hashBlob, WHOLE_LIMIT };
})();
