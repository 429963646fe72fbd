// Material for MkDocs 9.8.1, templates/partials/javascripts/content.html: its inline script, as a file so that the
// Content-Security-Policy can allow scripts from this site only (overrides/partials/javascripts/content.html).
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
