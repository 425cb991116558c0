// Keyboard behaviour app-wide (components/focus.py installs it once):
// - a radio group is one Tab stop: Tab enters at the chosen option (or the first), arrow keys move and choose within
//   the group, Tab leaves it (the WAI-ARIA radio group pattern, which Quasar's radios do not follow by themselves);
// - Enter in a radio group with an answer moves focus to the next question's radio group;
// - a dialog gives focus back to its trigger when it closes;
// - a page marked with data-cop-focus-heading focuses its first heading when it opens (the next part of a
//   questionnaire), instead of leaving focus at the top of the document.
(() => {
  const RADIO = '.q-radio';
  const group = (el) => el && el.closest && el.closest('[role=radiogroup]');
  const radios = (g) => Array.from(g.querySelectorAll(RADIO)).filter((r) => !r.classList.contains('disabled'));
  const checked = (g) => radios(g).find((r) => r.getAttribute('aria-checked') === 'true');
  const focusables = () =>
    Array.from(
      document.querySelectorAll(
        'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])',
      ),
    ).filter((el) => el.offsetParent !== null && !el.closest('[aria-hidden=true]') && el.tabIndex >= 0);

  document.addEventListener(
    'keydown',
    (event) => {
      const radio = event.target.closest && event.target.closest(RADIO);
      const g = group(radio);
      if (!radio || !g || event.altKey || event.ctrlKey || event.metaKey) return;
      const list = radios(g);
      const index = list.indexOf(radio);
      if (['ArrowDown', 'ArrowRight', 'ArrowUp', 'ArrowLeft'].includes(event.key)) {
        event.preventDefault();
        const step = event.key === 'ArrowDown' || event.key === 'ArrowRight' ? 1 : -1;
        const next = list[(index + step + list.length) % list.length];
        next.click();
        next.focus(); // Quasar moves focus to a hidden inner span on click: back to the radio, where the ring shows
        setTimeout(() => document.activeElement !== next && next.contains(document.activeElement) && next.focus(), 0);
      } else if (event.key === ' ' && radio.getAttribute('aria-checked') !== 'true') {
        // Quasar chooses on Space too; nothing to add
      } else if (event.key === 'Tab') {
        // leave the group: the element after its last option, or before its first
        const all = focusables();
        const members = new Set(list);
        let at = all.indexOf(radio);
        if (at < 0) return;
        const step = event.shiftKey ? -1 : 1;
        while (at >= 0 && at < all.length && members.has(all[at])) at += step;
        if (at >= 0 && at < all.length) {
          event.preventDefault();
          const target = all[at];
          const other = group(target);
          (other && other !== g ? checked(other) || (event.shiftKey ? radios(other).slice(-1)[0] : radios(other)[0]) : target).focus();
        }
      } else if (event.key === 'Enter' && checked(g)) {
        const groups = Array.from(document.querySelectorAll('[role=radiogroup]'));
        const next = groups[groups.indexOf(g) + 1];
        if (next) {
          event.preventDefault();
          const target = checked(next) || radios(next)[0];
          target && target.focus();
        }
      }
    },
    true,
  );

  // entering a group with Tab lands on its chosen option (a click lands where it clicks)
  let pointer = 0;
  document.addEventListener('pointerdown', () => (pointer = Date.now()), true);
  document.addEventListener('focusin', (event) => {
    if (Date.now() - pointer < 600) return;
    const radio = event.target.closest && event.target.closest(RADIO);
    const g = group(radio);
    if (!g || (event.relatedTarget && group(event.relatedTarget) === g)) return;
    const chosen = checked(g);
    if (chosen && chosen !== radio) chosen.focus();
  });

  // a dialog gives focus back to what opened it when it closes (also a dialog deleted right after closing, which
  // Quasar's own refocus misses), unless that trigger is gone or focus has gone elsewhere meanwhile
  let trigger = null;
  let outside = null; // the last element focused outside any dialog (Quasar blurs it before the dialog takes focus)
  let watcher = null;
  document.addEventListener(
    'focusin',
    (event) => {
      if (!event.target.closest) return;
      if (!event.target.closest('.q-dialog')) {
        outside = event.target;
        return;
      }
      remember(outside);
    },
    true,
  );
  // a list rebuilt after its dialog saved has a new button where the trigger was: the one with the same name
  function successor(gone) {
    const label = gone.getAttribute && gone.getAttribute('aria-label');
    if (!label) return null;
    const found = document.querySelectorAll(`${gone.tagName}[aria-label="${CSS.escape(label)}"]`);
    return found.length === 1 ? found[0] : null;
  }
  function remember(element) {
    if (trigger || !element) return;
    trigger = element;
    clearInterval(watcher);
    watcher = setInterval(() => {
      if (document.querySelector('.q-dialog')) return;
      clearInterval(watcher);
      const active = document.activeElement;
      const target = trigger && (trigger.isConnected ? trigger : successor(trigger));
      if (target && (!active || active === document.body)) target.focus();
      trigger = null;
    }, 150);
  }
  // a dialog closed (Escape) before focus ever entered it: remember the trigger the moment the dialog appears
  new MutationObserver(() => {
    if (trigger || !document.querySelector('.q-dialog')) return;
    const active = document.activeElement;
    remember(active && active !== document.body && !active.closest('.q-dialog') ? active : outside);
  }).observe(document.body, { childList: true });

  const focusHeading = () => {
    const active = document.activeElement;
    if (active && active !== document.body) return true; // the reader has moved on already: leave focus there
    const marker = document.querySelector('[data-cop-focus-heading]');
    if (!marker) return false;
    const heading = document.querySelector('main h1, .q-page h1, h1');
    if (!heading) return false;
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
    return true;
  };
  let tries = 0;
  const wait = () => {
    if (focusHeading() || ++tries > 200) return; // up to 10 s: a busy server renders late
    setTimeout(wait, 50);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', wait);
  else wait();
})();
