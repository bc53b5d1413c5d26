/** The one stylesheet, served at /styles.css (the CSP allows no inline style). Mobile first. */
export const STYLESHEET = `
:root { color-scheme: light dark; --accent: #3b5bdb; --muted: #667; --danger: #c92a2a; --warn-bg: #fff4e6; --warn: #8a4b00; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 34rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
.brand { font-weight: 600; color: var(--accent); margin-bottom: 1.5rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
.hint { display: block; font-weight: 400; color: var(--muted); font-size: .9rem; }
input[type=text], input[type=url], input[type=password], input[type=email], textarea, select {
  width: 100%; padding: .7rem .75rem; font: inherit; border: 1px solid #99a; border-radius: .5rem; }
button { font: inherit; padding: .75rem 1.25rem; border-radius: .5rem; border: 1px solid var(--accent); cursor: pointer; min-height: 44px; }
button.primary { background: var(--accent); color: #fff; }
button.secondary { background: transparent; color: var(--accent); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: 1.5rem; }
.error { border-left: 4px solid var(--danger); padding: .5rem .75rem; margin: 1rem 0; overflow-wrap: anywhere; }
section.method h2 { margin-top: 1.5rem; }
.badge { font-size: .8rem; font-weight: 600; color: var(--accent); border: 1px solid var(--accent); border-radius: 1rem; padding: 0 .5rem; vertical-align: middle; white-space: nowrap; }
.or { display: flex; align-items: center; gap: .75rem; color: var(--muted); margin: 1.25rem 0; }
.or::before, .or::after { content: ""; flex: 1; border-top: 1px solid #99a; }
details.method { border: 1px solid #99a; border-radius: .5rem; padding: .75rem; }
details.method > summary { font-weight: 600; cursor: pointer; min-height: 28px; }
details.method[open] > summary { margin-bottom: .5rem; }
.warning { background: var(--warn-bg); color: var(--warn); padding: .5rem .75rem; border-radius: .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
code { overflow-wrap: anywhere; }
fieldset.choices { border: 1px solid #99a; border-radius: .5rem; padding: .5rem .75rem .75rem; margin: 1.5rem 0 0; min-width: 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.choice { display: grid; grid-template-columns: 1.5rem 1fr; align-items: start; gap: .5rem; margin-top: .75rem; }
.choice input { width: 1.25rem; height: 1.25rem; margin: .15rem 0 0; accent-color: var(--accent); }
.choice label { margin: 0; }
button.danger { border-color: var(--danger); color: var(--danger); }
.notice { border-left: 4px solid var(--accent); padding: .5rem .75rem; }
ul.apps { list-style: none; padding: 0; margin: 0; }
li.app { border: 1px solid #99a; border-radius: .5rem; padding: 1rem; margin: 0 0 1rem; }
li.app h2, li.app h3 { font-size: 1.125rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
textarea { font-family: ui-monospace, monospace; font-size: .85rem; }
li.app dl { margin: 0 0 .75rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
a { color: var(--accent); }
select { width: 100%; padding: .6rem .75rem; font: inherit; border: 1px solid #99a; border-radius: .5rem; min-height: 44px; }
svg.chart { width: 100%; height: auto; display: block; }
.legend { font-size: .9rem; color: var(--muted); }
.downloads { margin-top: 1.25rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: .15rem; vertical-align: middle; }
.swatch.ok { background: #2b8a3e; } .swatch.failed { background: #c92a2a; }
ol.calls { list-style: none; padding: 0; margin: 1rem 0; }
li.call { border: 1px solid #99a; border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 .75rem; }
li.call h3 { font-size: 1rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
li.call dl { margin: 0; }
.pager { display: flex; gap: 1.5rem; margin-top: 1rem; }
.pager a { display: inline-block; padding: .6rem 0; }
.footer-link { margin-top: 1.5rem; }
.admin-nav { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin-bottom: 1rem; }
.admin-nav a { display: inline-block; padding: .5rem 0; }
@media (min-width: 48rem) {
  main { max-width: 40rem; padding-top: 3rem; }
  h1 { font-size: 1.75rem; }
}
`;

/** The icon, served at /favicon.ico (browsers ask for it on every page; SVG is accepted there). */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3b5bdb"/><path d="M9 9l14 14M23 9L9 23" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>`;
