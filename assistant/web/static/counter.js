// The question box's counter (`js_on_load` of the counter under it), and the Ask button, disabled
// while the box is empty. From 80 % of the limit the counter shows
// "n / limit", past the limit that only the first `limit` characters will be answered. It only
// informs: the server cuts a longer question itself and says so in the answer. Characters are
// counted as the server counts them (code points, not UTF-16 units).
const update = () => {
  const box = document.querySelector('#question textarea');
  const info = element.querySelector('.counter');
  if (!box || !info) return;
  // Ask is disabled while there is nothing to send (the server ignores an empty question anyway).
  const send = document.querySelector('#send');
  if (send) send.disabled = !box.value.trim();
  const limit = parseInt(info.dataset.limit, 10);
  const n = [...box.value.trim()].length;
  info.classList.toggle('near', n >= 0.8 * limit && n <= limit);
  info.classList.toggle('over', n > limit);
  info.textContent = n < 0.8 * limit ? '' : (n > limit ? info.dataset.over : info.dataset.near)
    .replaceAll('{n}', n).replaceAll('{limit}', limit);  // every blank: a template may use one twice
};
document.addEventListener('input', (event) => {
  if (event.target.closest && event.target.closest('#question')) update();
});
watch('value', update);
// The box is emptied by the app after a question is sent, which fires no input event.
setInterval(update, 500);
