// WAI-ARIA tabs: click or Enter/Space selects; arrow keys, Home and End move between the tabs that
// are shown (a tab the service has nothing for stays hidden).

export function setUpTabs(tablist) {
  const all = [...tablist.querySelectorAll('[role="tab"]')];
  const shown = () => all.filter(tab => !tab.hidden);
  const select = tab => {
    for (const other of all) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
    tab.focus();
  };
  all.forEach(tab => tab.addEventListener('click', () => select(tab)));
  tablist.addEventListener('keydown', event => {
    const tabs = shown();
    const at = tabs.indexOf(document.activeElement);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (at < 0 || next === undefined) {
      return;
    }
    event.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]);
  });
}
