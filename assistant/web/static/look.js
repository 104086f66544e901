// The page's look and its words outside Gradio's components (`js_on_load` of the scheme switch,
// assistant/web/look.py): the colour scheme, the document's language, the side panel's toggle label.
//
// - Scheme: Gradio puts `dark` on <body> when the system is dark. A choice made with the switch is
//   kept in localStorage (data-key) and wins, now and at every later visit; until then the system's.
// - <html lang> follows the page's language (the header's lang), so that a screen reader reads the
//   Chinese page as Chinese.
// - The side panel's toggle is named in the page's language (Gradio names it "Toggle Sidebar").
const key = element.querySelector('.scheme').dataset.key;
const button = element.querySelector('.scheme-switch');
const stored = () => { try { return localStorage.getItem(key); } catch (e) { return null; } };
const apply = () => {
  const choice = stored();
  if (choice === 'dark' || choice === 'light') document.body.classList.toggle('dark', choice === 'dark');
  button.setAttribute('aria-pressed', String(document.body.classList.contains('dark')));
};
button.addEventListener('click', () => {
  const dark = !document.body.classList.contains('dark');
  try { localStorage.setItem(key, dark ? 'dark' : 'light'); } catch (e) { /* private mode: this visit only */ }
  document.body.classList.toggle('dark', dark);
  apply();
});
// Gradio re-applies the system's scheme when it changes; the reader's choice is applied after it.
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => setTimeout(apply, 0));
apply();

const PANEL_LABELS = {zh: ['打开原文面板', '收起原文面板'], en: ['Open the source panel', 'Close the source panel']};
const words = () => {
  const lang = document.querySelector('.app-head')?.getAttribute('lang') === 'en' ? 'en' : 'zh';
  if (document.documentElement.lang !== lang) document.documentElement.lang = lang;
  const panel = document.querySelector('#viewer-panel');
  const toggle = panel && panel.querySelector('.toggle-button');
  if (toggle) {
    const label = PANEL_LABELS[lang][panel.classList.contains('open') ? 1 : 0];
    if (toggle.getAttribute('aria-label') !== label) toggle.setAttribute('aria-label', label);
  }
};
new MutationObserver(words).observe(document.querySelector('.gradio-container') || document.body,
  {subtree: true, childList: true, attributes: true, attributeFilter: ['lang', 'class']});
words();

// A skip link right after the question box (shown when it has the focus): Tab from the box, then Enter,
// reaches the latest answer's first [n] — instead of Tab through the buttons, the sources, the examples
// and around the whole page (23 presses after two answers; Shift+Tab, one, already goes back to it).
const SKIP_LABELS = {zh: '跳到最新回答的引用 [n]', en: 'Jump to the latest answer’s citations [n]'};
const skip = () => {
  const box = document.querySelector('#question');
  if (!box) return;
  let link = document.querySelector('#ask-row a.skip-latest');
  if (!link) {
    link = document.createElement('a');
    link.href = '#';
    link.className = 'skip-latest';
    link.addEventListener('click', (event) => {
      event.preventDefault();
      const answers = document.querySelectorAll('#chat [data-testid=bot]');
      const target = answers.length && answers[answers.length - 1].querySelector('a.cite-n');
      if (target) target.focus();
    });
    box.after(link);
  }
  const lang = document.documentElement.lang === 'en' ? 'en' : 'zh';
  if (link.textContent !== SKIP_LABELS[lang]) link.textContent = SKIP_LABELS[lang];
  const any = !!document.querySelector('#chat [data-testid=bot] a.cite-n');
  if (link.hidden === any) link.hidden = !any;  // nothing to jump to before the first answer
};
new MutationObserver(skip).observe(document.querySelector('.gradio-container') || document.body,
  {subtree: true, childList: true});
skip();
