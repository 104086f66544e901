// The list of added articles (`js_on_load` of templates/uploads.html): "Remove" asks once more on
// the button itself (no dialog), then sends the list's "click" event with the article's name.
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-remove]');
  if (!button) return;
  event.preventDefault();
  if (!button.classList.contains('armed')) {
    button.classList.add('armed');
    button.textContent = button.dataset.confirm;
    return;
  }
  button.disabled = true;
  trigger('click', {remove: button.dataset.remove});
});
