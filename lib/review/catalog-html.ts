import type { Catalog, CatalogDeveloper, CatalogService } from "./catalog";

/*
 * The catalog as one static HTML page: rows are rendered here (so the page reads fine without
 * scripts), the data is embedded as JSON, and a small inline script filters the rows. The
 * Content-Security-Policy forbids every request, so the page works offline from file://.
 */

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** JSON safe inside a <script> element: nothing in it can close the element or start a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const e = escapeHtml;
const code = (s: string) => `<code>${e(s)}</code>`;
const items = (xs: readonly string[]) => (xs.length === 0 ? `<span class="none">none</span>` : xs.join("<br>"));
/** The text a search matches against: everything shown in the row, lower-cased. */
const searchText = (parts: readonly string[]) => e(parts.join(" ").toLowerCase());

function serviceRow(s: CatalogService): string {
  const text = [s.key, s.description, s.account.email, s.account.ou, s.kubernetes.namespace ?? "", ...s.regions, ...s.cidrs.map((c) => c.cidr),
    ...s.owners.flatMap((o) => [o.key, o.name, o.github]), ...Object.values(s.teams), ...s.registries.map((r) => r.name), ...s.workspaces, ...s.githubRepositories];
  return `<tr data-service="${e(s.key)}" data-owners="${e(s.owners.map((o) => o.key).join(" "))}" data-account="${e(s.account.ou)}" data-text="${searchText(text)}">
<td><strong>${e(s.key)}</strong>${s.retired ? ` <span class="badge">retired</span>` : ""}<br><span class="muted">${e(s.description)}</span></td>
<td>${items(s.owners.map((o) => `${e(o.name)} (${code(o.key)})`))}</td>
<td>${e(s.account.email)}<br>OU ${code(s.account.ou)} · ${e(s.account.segment)}<br><span class="muted">vended by ${code(s.account.vendedBy)}</span></td>
<td>${items(s.cidrs.map((c, i) => `${code(c.region)}${i === 0 ? " (primary)" : ""} ${code(c.cidr)}`))}</td>
<td>${e(s.kubernetes.tenancy)}${s.kubernetes.namespace ? `<br>namespace ${code(s.kubernetes.namespace)}` : ""}<br>${items(s.kubernetes.clusters.map((c) => `cluster ${code(c.name)}`))}<br><span class="muted">quota ${e(s.kubernetes.quota.cpu)} CPU, ${e(s.kubernetes.quota.memory)}, ${e(String(s.kubernetes.quota.pods))} pods</span></td>
<td>${items(s.registries.map((r) => `${e(r.kind.toUpperCase())} ${code(r.name)}<br><span class="muted">${e(r.location)}</span>`))}${s.githubRepositories.length > 0 ? `<br>pushed from ${s.githubRepositories.map(code).join(", ")}` : ""}</td>
<td>GitHub ${code(s.teams.github)}<br>Datadog ${code(s.teams.datadog)}<br>PagerDuty ${code(s.teams.pagerduty)}<br>Slack ${code(`@${s.teams.slack}`)}<br>AWS role ${code(s.teams.awsRole)}</td>
<td>${items(s.workspaces.map(code))}</td>
</tr>`;
}

function developerRow(d: CatalogDeveloper, services: readonly CatalogService[]): string {
  const accounts = [...new Set(services.filter((s) => d.owns.includes(s.key)).map((s) => s.account.ou))].sort();
  const roles = [d.approver ? "approver" : "", d.githubAdmin ? "GitHub admin" : "", `Datadog: ${d.datadogRole}`, `PagerDuty: ${d.pagerdutyRole}`].filter(Boolean);
  return `<tr data-developer="${e(d.key)}" data-accounts="${e(accounts.join(" "))}" data-text="${searchText([d.key, d.name, d.email, d.github, d.slack, ...d.owns, ...d.onCall, ...roles])}">
<td><strong>${e(d.name)}</strong><br>${code(d.key)}</td>
<td>${e(d.email)}<br>GitHub ${code(d.github)}<br>Slack ${code(d.slack)}</td>
<td>${items(roles.map(e))}</td>
<td>${items(d.owns.map(code))}</td>
<td>${items(d.onCall.map(code))}</td>
</tr>`;
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1f2328}
h1{font-size:1.4rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.controls{display:flex;gap:.75rem;flex-wrap:wrap;align-items:end;margin:1rem 0}
label{display:flex;flex-direction:column;font-size:.8rem;color:#59636e}
input,select{font:inherit;padding:.3rem .4rem;min-width:14rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d1d9e0;padding:.4rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}code{font-size:.85em;background:#f6f8fa;padding:0 .2em;border-radius:3px}
.muted,.none{color:#59636e}.badge{background:#ffebe9;color:#82071e;border-radius:1em;padding:0 .5em;font-size:.8em}
tr[hidden]{display:none}`;

/* The only behaviour of the page: show the rows that match every active filter. */
const SCRIPT = `(() => {
  const $ = (id) => document.getElementById(id);
  const search = $("search"), owner = $("owner"), account = $("account");
  function apply() {
    const terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    const matches = (row) => terms.every((t) => row.dataset.text.includes(t));
    let services = 0, developers = 0;
    for (const row of document.querySelectorAll("#services tbody tr[data-service]")) {
      const show = matches(row)
        && (!owner.value || row.dataset.owners.split(" ").includes(owner.value))
        && (!account.value || row.dataset.account === account.value);
      row.hidden = !show;
      if (show) services++;
    }
    for (const row of document.querySelectorAll("#developers tbody tr[data-developer]")) {
      const show = matches(row)
        && (!owner.value || row.dataset.developer === owner.value)
        && (!account.value || row.dataset.accounts.split(" ").includes(account.value));
      row.hidden = !show;
      if (show) developers++;
    }
    $("services-empty").hidden = services > 0;
    $("developers-empty").hidden = developers > 0;
    $("count").textContent = services + " of " + $("services").dataset.total + " services, " + developers + " of " + $("developers").dataset.total + " developers";
  }
  for (const el of [search, owner, account]) el.addEventListener("input", apply);
  const q = new URLSearchParams(location.search).get("q");
  if (q) search.value = q;
  apply();
})();`;

/** The whole page; the same catalog always gives the same bytes. */
export function renderCatalogHtml(catalog: Catalog): string {
  const options = (values: ReadonlyArray<[string, string]>) => values.map(([v, label]) => `<option value="${e(v)}">${e(label)}</option>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Resource catalog: ${e(catalog.organization)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Resource catalog: ${e(catalog.organization)}</h1>
<p class="muted">Who owns what, generated from the configuration by <code>npm run catalog</code>. Terraform Cloud: ${code(catalog.terraformCloud.organization)} / ${code(catalog.terraformCloud.project)}.</p>
<div class="controls">
<label for="search">Search<input id="search" type="search" placeholder="service, owner, account, CIDR..." autocomplete="off"></label>
<label for="owner">Owner<select id="owner"><option value="">all owners</option>${options(catalog.developers.map((d) => [d.key, `${d.name} (${d.key})`]))}</select></label>
<label for="account">Account<select id="account"><option value="">all accounts</option>${options(catalog.accounts.map((a) => [a.ou, `${a.ou} (${a.segment})`]))}</select></label>
<span id="count" class="muted" aria-live="polite"></span>
</div>
<h2>Services</h2>
<table id="services" data-total="${catalog.services.length}">
<thead><tr><th>Service</th><th>Owners</th><th>Account</th><th>Regions and CIDRs</th><th>Kubernetes</th><th>Registries</th><th>Teams</th><th>Workspaces</th></tr></thead>
<tbody>
${catalog.services.map(serviceRow).join("\n")}
<tr id="services-empty" hidden><td colspan="8" class="none">No service matches.</td></tr>
</tbody>
</table>
<h2>Developers</h2>
<table id="developers" data-total="${catalog.developers.length}">
<thead><tr><th>Developer</th><th>Contact</th><th>Roles</th><th>Owns</th><th>On call for</th></tr></thead>
<tbody>
${catalog.developers.map((d) => developerRow(d, catalog.services)).join("\n")}
<tr id="developers-empty" hidden><td colspan="5" class="none">No developer matches.</td></tr>
</tbody>
</table>
<script type="application/json" id="catalog-data">${scriptJson(catalog)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
