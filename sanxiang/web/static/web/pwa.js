// Installs the workbench's service worker (the app shell works offline; see web/pwa.py).
if ("serviceWorker" in navigator && document.body.dataset.serviceWorker) {
  navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: document.body.dataset.serviceWorkerScope });
}
