// The "Add material" form (`js_on_load` of templates/add_form.html): reads the picked files as bytes
// (base64, so the server decides whether they are UTF-8) and sends them with the typed fields as the
// form's "submit" event. Sizes and types are checked here only to answer at once; the server checks
// everything again (assistant/corpus/uploads.py), and the request limit is the server's.
const read = (file) => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).split(',', 2)[1] || '');
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});
element.addEventListener('submit', async (event) => {
  const form = event.target.closest('form.add-form');
  if (!form) return;
  event.preventDefault();
  const status = form.querySelector('.add-local');
  // The page's language (the header says it); each message is in that one, its blanks all filled.
  const lang = document.querySelector('.app-head[lang="en"]') ? 'en' : 'zh';
  const say = (key, name) => (form.dataset[key + (lang === 'en' ? 'En' : 'Zh')] || '').replaceAll('{name}', name || '');
  // A message of the server's about an earlier attempt ("empty.txt 是空的") is not about this one.
  const earlier = document.querySelector('#add-status .add-status');
  if (earlier) earlier.replaceChildren();
  const max = parseInt(form.dataset.maxBytes, 10);
  const files = [...form.querySelector('input[type=file]').files];
  const big = files.find((f) => f.size > max);
  status.textContent = '';
  if (big) {
    status.textContent = say('tooBig', big.name);
    return;
  }
  const value = (name) => (form.elements[name] ? form.elements[name].value : '');
  try {
    const sent = [];
    for (const f of files) sent.push({name: f.name, data: await read(f)});
    trigger('submit', {files: sent, text: value('text'), title: value('title'), source: value('source'),
                       published: value('published'), author: value('author')});
  } catch (err) {
    status.textContent = say('unreadable');
  }
});
