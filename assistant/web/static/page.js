// What the page does beyond Gradio's own, run once as the sources panel's `js_on_load` (after app.js,
// which turns data-passage / data-company clicks inside the panel into its "click" event). `element`
// is the panel, `trigger` sends one of its events ("select" here), `watch` runs a function after its
// value changes.
//
// - A [n] in the chat is a link to #cite-<turn>-<n> (#near-<turn>-<n>: closest material): clicking it
//   (or Enter on it) asks the server to show that answer's sources with that source focused; on a
//   narrow screen the server also opens it in context. The chat's sanitiser keeps href and class
//   only, so that is where the turn and the number are.
// - A click elsewhere on an earlier answer, or moving the keyboard focus onto one of its [n], shows
//   that answer's sources.
// - After each update the focused source is scrolled into view and given the focus.
const NARROW = '(max-width: 760px)';
const shownTurn = () => (element.querySelector('.src-panel') || {}).dataset?.turn || '';
// The panel's "select" event (its "click" is app.js's): which answer, which source (index, value
// are what Gradio's select events carry).
const show = (detail) => trigger('select', Object.assign({turn: '', n: '', kind: '',
                                                          narrow: window.matchMedia(NARROW).matches}, detail,
                                                         {index: detail.n || '', value: detail.turn}));
const CITE = /^#(cite|near)-(\d+)-(\d+)$/;

document.addEventListener('click', (event) => {
  const chat = event.target.closest && event.target.closest('#chat');
  if (!chat) return;
  const link = event.target.closest('a.cite-n');
  const m = link && (link.getAttribute('href') || '').match(CITE);
  if (m) {
    event.preventDefault();
    show({kind: m[1], turn: m[2], n: m[3]});
    return;
  }
  const answer = event.target.closest('.ans');
  const turn = answer && [...answer.classList].map((c) => c.match(/^turn-(\d+)$/)).find(Boolean);
  if (turn && turn[1] !== shownTurn() && !event.target.closest('a, summary, button')) show({turn: turn[1]});
});

// (Not when a press of the pointer moved the focus: its click follows and asks for the source itself.
// Sent first, the focus's request kept the panel busy and the click's was dropped: issue 21, point 5.)
let pressed = null;
document.addEventListener('pointerdown', (event) => { pressed = event.target.closest && event.target.closest('#chat a.cite-n'); }, true);
document.addEventListener('focusin', (event) => {
  const link = event.target.closest && event.target.closest('#chat a.cite-n');
  const m = link && (link.getAttribute('href') || '').match(CITE);
  if (m && link === pressed) { pressed = null; return; }
  if (m && m[2] !== shownTurn()) show({turn: m[2]});
});

// The answer whose sources are shown is marked in the chat (after the chat, updated with the panel, is drawn).
const markShown = () => {
  const turn = shownTurn();
  document.querySelectorAll('#chat .ans').forEach((a) => a.classList.toggle('shown', !!turn && a.classList.contains(`turn-${turn}`)));
};

watch('value', () => {
  setTimeout(markShown, 60);
  const card = element.querySelector('.src.focus');
  if (!card) return;
  card.scrollIntoView({block: 'nearest', behavior: 'smooth'});
  card.focus({preventScroll: true});
});
