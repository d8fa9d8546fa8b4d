import { escapeHtml as e } from '../shared';
import type { HubSpotTeam } from './roster';
import type { Wave } from './waves.repo';

// The eNPS admin page (pure HTML): start a wave, close one, upload the employee list. Every form carries the
// dashboard's CSRF token.

export interface AdminView {
  csrf: string;
  waves: Wave[];
  today: string;
  defaults: { closesOn: string; breakdown: string };
  employees: number;
  teams: HubSpotTeam[] | null;
  chosenTeams: string[];
  notice?: string;
  problems?: string[];
}

const hidden = (csrf: string) => `<input type="hidden" name="_csrf" value="${e(csrf)}">`;

export function renderAdmin(v: AdminView): string {
  const problems = v.problems?.length
    ? `<div class="warning" role="alert" id="problems"><p>There is a problem:</p><ul>${v.problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul></div>`
    : '';
  const notice = v.notice ? `<p class="hint" role="status" id="notice">${e(v.notice)}</p>` : '';
  const waves = v.waves
    .map(
      (w) =>
        `<tr><th scope="row">${e(w.opensOn)}</th><td>${e(w.closesOn)}</td><td>${e(w.status)}</td><td>${w.invited}</td><td>${
          w.status === 'closed'
            ? ''
            : `<form method="post" action="/dashboard/enps/waves/${e(w.id)}/close">${hidden(v.csrf)}<button type="submit" class="link">${w.status === 'open' ? 'Close today' : 'Cancel'}</button></form>`
        }</td></tr>`,
    )
    .join('');
  const teams =
    v.teams === null
      ? '<p>HubSpot teams could not be read just now.</p>'
      : v.teams.length === 0
        ? '<p>This HubSpot account has no teams: every active user is asked.</p>'
        : `<ul class="plain">${v.teams.map((t) => `<li>${e(t.name)} (${t.members} users)${v.chosenTeams.includes(t.id) ? ' · asked' : ''}</li>`).join('')}</ul>
<p class="hint">${v.chosenTeams.length ? 'Only the teams marked "asked" are surveyed.' : 'No team is chosen, so every active user is asked.'} Choose teams in Settings → eNPS.</p>`;
  return `${problems}${notice}
<section class="card wide" aria-labelledby="h-waves"><h2 id="h-waves">Waves</h2>
<div class="table-wrap" tabindex="0"><table><caption>Every wave, newest first</caption>
<thead><tr><th scope="col">Opens</th><th scope="col">Closes</th><th scope="col">Status</th><th scope="col">Invited</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
<tbody>${waves || '<tr><td colspan="5">No waves yet.</td></tr>'}</tbody></table></div>
<h3>Start a wave</h3>
<form method="post" action="/dashboard/enps/waves" class="filters">${hidden(v.csrf)}
<label>Opens <input type="date" name="opensOn" value="${e(v.today)}" required></label>
<label>Closes <input type="date" name="closesOn" value="${e(v.defaults.closesOn)}" required></label>
<label>Results by <select name="breakdown">${(['team', 'tenure', 'location'] as const)
    .map((b) => `<option value="${b}"${b === v.defaults.breakdown ? ' selected' : ''}>${b}</option>`)
    .join('')}</select></label>
<label>Extra question 1 (optional) <input type="text" name="question1" maxlength="300"></label>
<label>Extra question 2 (optional) <input type="text" name="question2" maxlength="300"></label>
<button type="submit">Schedule wave</button>
</form>
<p class="hint">Invitations go out on the opening day, one reminder halfway (Settings → eNPS), and results appear once it closes.</p>
</section>
<section class="card" aria-labelledby="h-teams"><h2 id="h-teams">HubSpot teams</h2>${teams}</section>
<section class="card" aria-labelledby="h-employees"><h2 id="h-employees">Employee list</h2>
<p>${v.employees} people on the uploaded list.</p>
<form method="post" action="/dashboard/enps/employees">${hidden(v.csrf)}
<label for="csv">CSV with columns email, team, location, tenure (&lt;1y, 1-2y, 2-5y, 5y+), language, first_name</label>
<textarea id="csv" name="csv" rows="8" required></textarea>
<button type="submit">Replace the list</button>
</form></section>`;
}
