// Shows Streamlit's own English words (grid toolbar and column menu, "Select all", "Page not
// found") in the reader's language. Served by the app itself (the content security policy
// allows only the app's own scripts); the words come from the page, in the element
// [data-cxw-words] that ui/style.py writes before loading this file.
(() => {
  const found = document.querySelectorAll("[data-cxw-words]");
  if (!found.length) return;
  const said = JSON.parse(found[found.length - 1].getAttribute("data-cxw-words"));
  const words = said.words, LANGUAGE = said.language;
  const swap = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const said = node.nodeValue.trim();
      if (words[said]) node.nodeValue = node.nodeValue.replace(said, words[said]);
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    for (const name of ["aria-label", "title", "placeholder"]) {
      const said = node.getAttribute(name);
      if (said && words[said]) node.setAttribute(name, words[said]);
    }
    node.childNodes.forEach(swap);
  };
  const host = window.parent && window.parent.document ? window.parent : window;
  if (host.cxwWordsLanguage === LANGUAGE) return;
  if (host.cxwWordsObserver) host.cxwWordsObserver.disconnect();  // the language changed
  host.cxwWordsLanguage = LANGUAGE;
  host.cxwWordsObserver = null;
  if (!Object.keys(words).length) return;
  const root = host.document;
  swap(root.body);
  host.cxwWordsObserver = new MutationObserver((changes) => changes.forEach((change) => {
    change.addedNodes.forEach(swap);
    if (change.type === "attributes" || change.type === "characterData") swap(change.target);
  }));
  host.cxwWordsObserver.observe(root.body, {childList: true, subtree: true, characterData: true, attributes: true,
                                            attributeFilter: ["aria-label", "title", "placeholder"]});
})();
