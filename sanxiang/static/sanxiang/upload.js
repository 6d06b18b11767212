// Upload with a progress bar (the form still works without this script).
document.querySelectorAll("form[data-upload-progress]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    const bar = form.querySelector("progress");
    if (!window.XMLHttpRequest || !bar) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) bar.value = Math.round((progress.loaded / progress.total) * 100);
    });
    request.addEventListener("load", () => { document.open(); document.write(request.responseText); document.close(); });
    request.addEventListener("error", () => { bar.hidden = true; alert("上传中断，文件未登记，请重试。"); });
    bar.hidden = false;
    request.send(new FormData(form));
  });
});
