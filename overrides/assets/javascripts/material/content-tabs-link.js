// Material for MkDocs 9.8.1, templates/partials/javascripts/content.html: its inline script, as a file so that the
// Content-Security-Policy can allow scripts from this site only (overrides/partials/javascripts/content.html).
// Only with the content.tabs.link feature.
var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}
