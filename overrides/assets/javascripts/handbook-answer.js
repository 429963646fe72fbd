/*
 * The search's answer verdict on the page (issue 26). For a question, the search worker
 * (assets/javascripts/handbook-search.js) decides whether a clause answers it and sends the verdict on the
 * first result's title as a hidden element (.hb-verdict): Material's search UI renders titles as HTML and has
 * no other channel from its worker to the page. Here the result list gets data-hb-answer="clause" or "none"
 * (a keyword search has neither). Under "none" the results open with one line saying that no clause answers,
 * the office topics of the question that no clause speaks of (sources/office-lexicon.yml), where there are any,
 * the line saying where to ask instead (extra.handbook.search.ask_instead) and a button that sends the
 * question to the intranet server: one same-origin GET of <site root>/not-answered?lang=…&q=…, which the
 * shipped nginx answers with 204 and logs for the editors (`make gaps`). Nothing is sent from file://.
 * The strings travel with the verdict (the label tables, through the search index).
 */
"use strict"
;(() => {
  const GAP_PATH = "not-answered"

  function siteRoot() {
    const config = document.getElementById("__config")
    const settings = config ? JSON.parse(config.textContent) : {}
    // An edition's pages set base to their own root, for their own search index (hooks/search.py); site_root is the site's.
    const base = settings.site_root || settings.base || "."
    return new URL(base.replace(/\/?$/, "/"), location.href)
  }

  function element(tag, className, text) {
    const node = document.createElement(tag)
    node.className = className
    if (text) node.textContent = text
    return node
  }

  /* The block that opens the results when no clause answers: the verdict, where to ask, the button. */
  function noAnswerBlock(data) {
    const block = element("div", "hb-no-answer")
    block.setAttribute("role", "status")
    block.append(element("p", "hb-no-answer__line", data.line))
    if (data.outside) block.append(element("p", "hb-no-answer__outside", data.outside))
    if (data.contact) block.append(element("p", "hb-no-answer__contact", data.contact))
    if (/^https?:$/.test(location.protocol) && data.button) {
      const button = element("button", "hb-not-answered", data.button)
      button.type = "button"
      button.addEventListener("click", () => {
        const input = document.querySelector("[data-md-component=search-query]")
        const question = input ? input.value.trim() : ""
        if (!question) return
        const url = new URL(GAP_PATH, siteRoot())
        url.search = new URLSearchParams({ lang: document.documentElement.lang || "", q: question }).toString()
        fetch(url, { method: "GET", credentials: "same-origin", cache: "no-store" }).catch(() => {})
        button.replaceWith(element("p", "hb-no-answer__sent", data.sent))
      }, { once: true })
      block.append(button)
    }
    return block
  }

  let shownFor = null  // the verdict the block was made for: more results of the same search keep it

  function update(list) {
    const marker = list.firstElementChild && list.firstElementChild.querySelector(".hb-verdict")
    if (marker === shownFor) return
    shownFor = marker
    const previous = list.parentNode.querySelector(".hb-no-answer")
    if (previous) previous.remove()
    if (!marker) {
      delete list.dataset.hbAnswer
      return
    }
    list.dataset.hbAnswer = marker.dataset.hbAnswer
    if (marker.dataset.hbAnswer === "none") list.parentNode.insertBefore(noAnswerBlock(marker.dataset), list)
  }

  function watch() {
    const list = document.querySelector(".md-search-result__list")
    if (!list) return
    // Material empties the list and appends each result set: every change is a new result set.
    new MutationObserver(() => update(list)).observe(list, { childList: true })
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch)
  else watch()
})()
