// WAI-ARIA tabs: click or Enter/Space selects; arrow keys, Home and End move between the tabs.

export function setUpTabs(tablist) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = tab => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
    tab.focus();
  };
  tabs.forEach(tab => tab.addEventListener('click', () => select(tab)));
  tablist.addEventListener('keydown', event => {
    const at = tabs.indexOf(document.activeElement);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (at < 0 || next === undefined) {
      return;
    }
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]);
  });
}
