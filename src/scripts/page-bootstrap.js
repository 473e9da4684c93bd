// Inlined into every page's <head> (its hash is in the Content-Security-Policy). It runs before
// the first paint so a chosen theme never flashes, and uses one delegated listener per event
// instead of shipping a script file: question pages load no JavaScript file at all.
(() => {
  const root = document.documentElement;
  const themes = ['system', 'light', 'dark'];
  const stored = (() => {
    try {
      return localStorage.getItem('theme');
    } catch {
      return null;
    }
  })();
  const applyTheme = (theme) => {
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    else delete root.dataset.theme;
    for (const button of document.querySelectorAll('[data-theme-toggle]')) {
      button.querySelector('[data-theme-label]').textContent = theme;
      button.setAttribute('aria-label', `Theme: ${theme}. Change theme`);
    }
  };
  applyTheme(stored);
  root.classList.add('js');

  const announce = (message) => {
    const region = document.querySelector('[data-announcer]');
    if (region) region.textContent = message;
  };
  const flash = (button, label) => {
    const original = button.dataset.label ?? button.textContent;
    button.dataset.label = original;
    button.textContent = label;
    announce(label);
    setTimeout(() => (button.textContent = original), 2000);
  };
  const copy = async (button) => {
    const text =
      button.dataset.copy === 'code'
        ? button.closest('figure')?.querySelector('pre')?.textContent
        : button.dataset.copyValue;
    try {
      await navigator.clipboard.writeText(text ?? '');
      flash(button, 'Copied');
    } catch {
      flash(button, 'Copy failed');
    }
  };

  document.addEventListener('DOMContentLoaded', () => applyTheme(root.dataset.theme ?? 'system'));
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const copyButton = target?.closest('[data-copy]');
    if (copyButton) copy(copyButton);
    if (target?.closest('[data-shortcuts-open]'))
      document.querySelector('[data-shortcuts-dialog]')?.showModal();
    if (target?.closest('[data-shortcuts-close]')) target.closest('dialog')?.close();
    if (target?.closest('[data-theme-toggle]')) {
      const next = themes[(themes.indexOf(root.dataset.theme ?? 'system') + 1) % themes.length];
      try {
        localStorage.setItem('theme', next);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      applyTheme(next);
    }
  });
  // The search box's island (results as you type) loads when a box is first focused.
  document.addEventListener('focusin', (event) => {
    const form = event.target instanceof Element ? event.target.closest('[data-island-url]') : null;
    if (!form || form.dataset.islandStarted !== undefined) return;
    form.dataset.islandStarted = '';
    import(form.dataset.islandUrl)
      .then((island) => island.startHeaderSearch(form))
      .catch((error) => {
        delete form.dataset.islandStarted;
        console.warn(error);
      });
  });
  // Keyboard shortcuts, listed in the dialog "?" opens. None fires while the reader types, and
  // the arrow keys still scroll a code block or table that is wider than the page.
  const scrollsSideways = (element) => {
    for (let node = element; node instanceof Element; node = node.parentElement) {
      const { overflowX } = getComputedStyle(node);
      if (node.scrollWidth > node.clientWidth && /auto|scroll/.test(overflowX)) return true;
    }
    return false;
  };
  document.addEventListener('keydown', (event) => {
    const target = event.target;
    const typing =
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (document.querySelector('dialog[open]')) return;
    const arrows =
      /^Arrow(Left|Right)$/.test(event.key) && !event.shiftKey && !scrollsSideways(target);
    const rel = { j: 'next', k: 'prev', ...(arrows && { ArrowRight: 'next', ArrowLeft: 'prev' }) };
    const element =
      event.key === '/'
        ? document.querySelector('[data-search-input]')
        : event.key === '?'
          ? document.querySelector('[data-shortcuts-dialog]')
          : rel[event.key] && document.querySelector(`a[rel="${rel[event.key]}"]`);
    if (!element) return;
    event.preventDefault();
    if (element instanceof HTMLDialogElement) element.showModal();
    else if (element instanceof HTMLAnchorElement) element.click();
    else element.focus();
  });
})();
