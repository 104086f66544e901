// The body of every source panel's `js_on_load` (Gradio runs it with `element`, the panel, and `trigger`):
// a click on an element with data-passage / data-company becomes the component's "click" event carrying
// those values; everything else on the panel is plain text. Read once at import by assistant/web/render.py.
element.addEventListener('click', (event) => {
  const el = event.target.closest('[data-passage], [data-company]');
  if (!el || !element.contains(el)) return;
  event.preventDefault();
  trigger('click', {passage: el.dataset.passage || '', quote: el.dataset.quote || '',
                    quote_en: el.dataset.quoteEn || '', company: el.dataset.company || ''});
});
