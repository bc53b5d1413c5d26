// The consent screen of the fake Xano OAuth server: sign in and pick an instance.
// Every value is HTML-escaped (the original server echoed `state` unescaped) and every visible
// input has a <label>.

export interface ConsentPageInput {
  clientName: string;
  /** The validated authorization request, carried through hidden fields. */
  hidden: Record<string, string>;
  instances: Array<{ name: string; display: string }>;
  email?: string;
  error?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function consentPage(input: ConsentPageInput): string {
  const hidden = Object.entries(input.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("\n      ");
  const options = input.instances
    .map((i) => `<option value="${escapeHtml(i.name)}">${escapeHtml(i.display)} (${escapeHtml(i.name)})</option>`)
    .join("\n          ");
  const error = input.error ? `<p role="alert">${escapeHtml(input.error)}</p>` : "";
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Sign in to Xano (fake)</title>
  </head>
  <body>
    <main>
      <h1>Sign in to Xano</h1>
      <p><strong>${escapeHtml(input.clientName)}</strong> asks to use one of your Xano instances.</p>
      ${error}
      <form method="post" action="/oauth/authorize">
      ${hidden}
        <p><label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(input.email ?? "")}"></p>
        <p><label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required></p>
        <p><label for="instance">Instance</label>
        <select id="instance" name="instance">
          ${options}
        </select></p>
        <p><button type="submit" name="decision" value="approve">Allow access</button>
        <button type="submit" name="decision" value="deny">Deny</button></p>
      </form>
    </main>
  </body>
</html>`;
}
