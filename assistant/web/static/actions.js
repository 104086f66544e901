// The chat's actions (`js_on_load` of the actions panel under the question box; issue 21, 15-16).
// `element` is the panel, `trigger` sends one of its events, `watch` runs after its value changes.
//
// - Under each answer: Copy (its Markdown with citations, in the message, to the clipboard: in the
//   browser only), Helpful / Not right (the panel's "click": the server records it and offers a comment box),
//   Regenerate / Edit question and the suggested follow-ups (the panel's "select": the server checks
//   the turn and that the follow-up is one it suggested, and asks). The links carry what they do in
//   their href (#copy-<turn>, #follow-<turn>-<k>): the chat's sanitiser keeps href and class only.
// - Export: the server answers with a data: link to the file, clicked here once.
// - Hovering, focusing or long-pressing a [n] shows its title and quoted sentence in a small
//   preview (text only) without opening the panel; a long press does not then follow the link.
const ACT = /^#(copy|up|down|regen|edit|follow)-(\d+)(?:-(\d+))?$/;
const panel = () => element.querySelector('.chat-actions');
const say = (text) => { const s = element.querySelector('.act-status'); if (s) s.textContent = text || ''; };
const copyText = async (text) => {
  try { await navigator.clipboard.writeText(text); return true; } catch (err) { /* below */ }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
};

document.addEventListener('click', async (event) => {
  const link = event.target.closest && event.target.closest('#chat a.act');
  const m = link && (link.getAttribute('href') || '').match(ACT);
  if (!m) return;
  event.preventDefault();
  event.stopPropagation();
  const [, act, turn, k] = m;
  if (act === 'copy') {
    const md = link.closest('.ans') && link.closest('.ans').querySelector('.md-copy');
    const ok = !!md && await copyText(md.textContent);
    say(ok ? panel().dataset.copied : panel().dataset.copyFailed);
  } else if (act === 'up' || act === 'down') {
    trigger('click', {act, turn});
  } else {
    trigger('select', {act, turn, k: k || '', text: link.textContent, index: k || '', value: turn});
  }
}, true);

element.addEventListener('click', (event) => {
  const button = event.target.closest('button.export');
  if (button) trigger('click', {act: 'export', format: button.dataset.format});
});
element.addEventListener('submit', (event) => {
  const form = event.target.closest('form.fb-form');
  if (!form) return;
  event.preventDefault();
  trigger('click', {act: 'comment', id: form.dataset.id, comment: form.elements.comment.value});
});
watch('value', () => {
  const link = element.querySelector('a.dl.auto');
  if (link) { link.classList.remove('auto'); link.click(); }
});

// ---- the [n] preview ----
const preview = document.createElement('div');
preview.id = 'cite-preview';
preview.setAttribute('role', 'tooltip');
preview.hidden = true;
document.body.appendChild(preview);
const hide = () => { preview.hidden = true; };
const show = (link) => {
  const pop = link.nextElementSibling;
  if (!pop || !pop.classList.contains('cite-pop')) return;
  preview.replaceChildren(...[...pop.children].map((part) => {
    const p = document.createElement('div');
    p.className = part.className;
    if (part.lang) p.lang = part.lang;
    p.textContent = part.textContent;
    return p;
  }));
  preview.hidden = false;
  const r = link.getBoundingClientRect();
  const w = Math.min(360, window.innerWidth - 16);
  preview.style.width = `${w}px`;
  preview.style.left = `${Math.max(8, Math.min(r.left, window.innerWidth - w - 8))}px`;
  const below = r.bottom + 6;
  const h = preview.offsetHeight;
  preview.style.top = `${below + h > window.innerHeight && r.top > h + 6 ? r.top - h - 6 : below}px`;
};
const citeOf = (target) => target.closest && target.closest('#chat a.cite-n');
document.addEventListener('mouseover', (event) => { const l = citeOf(event.target); if (l) show(l); });
document.addEventListener('mouseout', (event) => { if (citeOf(event.target)) hide(); });
document.addEventListener('focusin', (event) => { const l = citeOf(event.target); if (l) show(l); else hide(); });
document.addEventListener('scroll', hide, true);
let pressed = null;
let longPress = false;
document.addEventListener('touchstart', (event) => {
  const link = citeOf(event.target);
  longPress = false;
  clearTimeout(pressed);
  if (link) pressed = setTimeout(() => { longPress = true; show(link); }, 450);
}, {passive: true});
document.addEventListener('touchend', () => clearTimeout(pressed), {passive: true});
document.addEventListener('touchmove', () => clearTimeout(pressed), {passive: true});
document.addEventListener('contextmenu', (event) => { if (citeOf(event.target)) event.preventDefault(); });
document.addEventListener('click', (event) => {
  if (longPress && citeOf(event.target)) { event.preventDefault(); event.stopPropagation(); }
  longPress = false;
}, true);
