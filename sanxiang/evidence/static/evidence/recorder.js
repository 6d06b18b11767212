// A file named by a body-worn recorder (执法记录仪): when it is picked, the server reads its name (device, officer
// number, start) and proposes the officer and the act; the page fills in the act and the device and says what it
// found. Registering the file derives all of it again on the server, so this only saves typing, and the form works
// the same without it.
(function () {
  "use strict";
  const note = document.querySelector("[data-recorder-proposal]");
  if (!note || !window.fetch) return;
  const form = note.closest("form");
  const input = form.querySelector("input[type=file][name=file]");

  async function propose(file) {
    const address = `${note.dataset.endpoint}?name=${encodeURIComponent(file.name)}`;
    const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return response.ok ? response.json() : null;
  }

  input.addEventListener("change", async () => {
    note.hidden = true;
    const file = input.files[0];
    if (!file) return;
    let proposal = null;
    try {
      proposal = await propose(file);
    } catch (error) {
      return; // offline: nothing to propose, the server still reads the name when the file is sent
    }
    if (!proposal || !proposal.recognised || input.files[0] !== file) return;
    if (proposal.act) form.querySelector("[name=act]").value = proposal.act;
    const device = form.querySelector("[name=device]");
    if (!device.value.trim()) device.value = proposal.device;
    note.textContent = proposal.warning ? `${proposal.summary}。${proposal.warning}，记录人将登记为您本人。` : `${proposal.summary}。`;
    note.className = proposal.warning ? "banner warn" : "banner ok";
    note.hidden = false;
  });
})();
