// Calls the demo API with the session cookie; the server attaches the
// access token, so the browser never holds one.
(async function showApiResult() {
  const out = document.getElementById('api-result');
  try {
    const res = await fetch('/api/me', { credentials: 'same-origin' });
    const body = await res.json();
    out.dataset.status = String(res.status);
    out.textContent = res.status + '\n' + JSON.stringify(body, null, 2);
  } catch (error) {
    out.dataset.status = 'error';
    out.textContent = 'request failed';
  }
})();
