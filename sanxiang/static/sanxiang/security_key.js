// 安全密钥 (WebAuthn): hands the options the page carries to the browser's own navigator.credentials, and posts
// its answer as JSON. All the glue does is turn base64url text into bytes and back; the server checks everything.
// Without WebAuthn (or without this script) the key part stays hidden and the authenticator code remains.
(() => {
  const box = document.querySelector("[data-security-key]");
  if (!box || !window.PublicKeyCredential || !navigator.credentials) return;
  const options = JSON.parse(document.getElementById("security-key-options").textContent);
  const form = box.querySelector("form");
  const status = box.querySelector("[data-status]");
  const creating = box.dataset.securityKey === "create";

  const bytes = (text) => {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const text = (buffer) =>
    btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: bytes(item.id) }));

  const request = () => {
    const publicKey = { ...options, challenge: bytes(options.challenge) };
    if (creating) {
      publicKey.user = { ...options.user, id: bytes(options.user.id) };
      publicKey.excludeCredentials = withIds(options.excludeCredentials);
      return navigator.credentials.create({ publicKey });
    }
    publicKey.allowCredentials = withIds(options.allowCredentials);
    return navigator.credentials.get({ publicKey });
  };

  const answer = (credential) => {
    const r = credential.response;
    const response = { clientDataJSON: text(r.clientDataJSON) };
    if (creating) {
      response.attestationObject = text(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = text(r.authenticatorData);
      response.signature = text(r.signature);
      response.userHandle = r.userHandle ? text(r.userHandle) : null;
    }
    return {
      id: credential.id,
      rawId: text(credential.rawId),
      type: credential.type,
      response,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || null,
    };
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "请插入或触碰安全密钥……";
    try {
      form.elements.credential.value = JSON.stringify(answer(await request()));
    } catch (error) {
      console.warn(error);
      status.textContent = "未能使用安全密钥（已取消、超时，或此密钥不属于本账号）。" + (creating ? "" : "可改用动态验证码。");
      return;
    }
    form.submit();
  });
  box.hidden = false;
  const unsupported = document.querySelector("[data-security-key-unsupported]");
  if (unsupported) unsupported.hidden = true;
})();
