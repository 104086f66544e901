// The side panel (`js_on_load` of the passage viewer): when a passage is opened, the cited paragraph is
// scrolled into view, so that "read in context" lands on it and not on the paragraphs before it.
watch('value', () => {
  const cited = element.querySelector('.ctx-p.cited');
  if (cited) setTimeout(() => cited.scrollIntoView({block: 'center'}), 50);
});
