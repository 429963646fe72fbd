// Material for MkDocs 9.8.1, templates/partials/javascripts/base.html: its inline script, as a file so that the
// Content-Security-Policy can allow scripts from this site only (overrides/partials/javascripts/base.html).
// The scope Material writes into the script comes from the tag's data-scope.
__md_scope=new URL(document.currentScript.dataset.scope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
