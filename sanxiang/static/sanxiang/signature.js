// The signature pad: pointer events (finger, pen or mouse) on a canvas. What is sent is the strokes only, as
// [[x, y, ms], ...] per stroke in a 1000 x 400 box with the time from the first touch; the server draws them.
"use strict";
document.querySelectorAll("[data-pad]").forEach((pad) => {
  const canvas = pad.querySelector("canvas");
  const input = pad.querySelector(`input[name="${pad.dataset.pad}"]`);
  const context = canvas.getContext("2d");
  let strokes = [];
  let current = null;
  let first = null;

  context.lineWidth = 6;
  context.lineCap = "round";
  context.lineJoin = "round";

  function point(event) {
    const box = canvas.getBoundingClientRect();
    const clamp = (value, most) => Math.min(most, Math.max(0, Math.round(value * 10) / 10));
    if (first === null) first = event.timeStamp;
    return [
      clamp(((event.clientX - box.left) / box.width) * canvas.width, canvas.width),
      clamp(((event.clientY - box.top) / box.height) * canvas.height, canvas.height),
      Math.max(0, Math.round(event.timeStamp - first)),
    ];
  }

  function save() {
    input.value = strokes.length ? JSON.stringify(strokes) : "";
  }

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    // keep the strokes coming when the finger leaves the box; only a real pointer can be captured
    if (event.isTrusted) canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    context.beginPath();
    context.moveTo(current[0][0], current[0][1]);
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    const [x, y, ms] = point(event);
    current.push([x, y, ms]);
    context.lineTo(x, y);
    context.stroke();
  });
  const end = () => {
    current = null;
    save();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  pad.querySelector("[data-clear]").addEventListener("click", () => {
    strokes = [];
    first = null;
    context.clearRect(0, 0, canvas.width, canvas.height);
    save();
  });
});
