import { escapeHtml as e } from '../shared';
import { CATEGORIES, type Share, type ThemesReport } from './dashboard-report';

// The dashboard's themes section as HTML. Comments and theme names are people's text: all of it is escaped.

const CATEGORY_LABEL = { promoter: 'Promoters', passive: 'Passives', detractor: 'Detractors' } as const;

function shareCell(s: Share): string {
  if (s.percent === null) return '<td>–</td>';
  return `<td>${s.percent.toFixed(1)}% <span class="sub">(${s.comments} of ${s.of})</span></td>`;
}

export function renderThemesSection(r: ThemesReport, canManage: boolean): string {
  const manage = `<p><a href="/dashboard/themes">${canManage ? 'Manage themes and see suggested ones' : 'Themes and suggested ones'}</a></p>`;
  if (r.themes.length === 0)
    return `<section class="card wide" aria-labelledby="h-themes" id="themes">
<h2 id="h-themes">Comment themes</h2>
<p>No themes are defined yet: a theme is a name plus keywords per language; each comment is tagged with the themes it mentions.</p>
${manage}
</section>`;
  const matrix = r.themes
    .map(
      (t) => `<tr><th scope="row">${e(t.name)}</th>${CATEGORIES.map((c) => shareCell(t.byCategory[c])).join('')}</tr>`,
    )
    .join('\n');
  const buckets = r.themes[0]!.trend.map((b) => b.bucket);
  const trend = r.themes
    .map((t) => `<tr><th scope="row">${e(t.name)}</th>${t.trend.map(shareCell).join('')}</tr>`)
    .join('\n');
  const examples = r.themes
    .filter((t) => t.examples.length > 0)
    .map(
      (t) => `<h3>${e(t.name)}</h3>
<ul class="comments">${t.examples
        .map(
          (x) =>
            `<li class="comment ${e(x.category)}"><span class="score">${x.score}</span> <time datetime="${e(x.answeredAt)}">${e(x.answeredAt.slice(0, 10))}</time><blockquote>${e(x.comment)}</blockquote></li>`,
        )
        .join('')}</ul>`,
    )
    .join('\n');
  return `<section class="card wide" aria-labelledby="h-themes" id="themes">
<h2 id="h-themes">Comment themes</h2>
<p class="hint">Share of each category's comments in this period that mention each theme.</p>
<div class="table-wrap" tabindex="0"><table id="themes-by-category"><caption>What each group talks about</caption>
<thead><tr><th scope="col">Theme</th>${CATEGORIES.map((c) => `<th scope="col">${CATEGORY_LABEL[c]} <span class="sub">(${r.commentsByCategory[c]} comments)</span></th>`).join('')}</tr></thead>
<tbody>${matrix}</tbody></table></div>
<details><summary>Themes by ${e(r.unit)}</summary>
<div class="table-wrap" tabindex="0"><table id="themes-trend"><caption>Share of all comments that mention each theme, by ${e(r.unit)}</caption>
<thead><tr><th scope="col">Theme</th>${buckets.map((b) => `<th scope="col">${e(b)}</th>`).join('')}</tr></thead>
<tbody>${trend}</tbody></table></div></details>
<details><summary>Example comments</summary>
${examples || '<p>No comment in this period mentions a theme.</p>'}
</details>
${manage}
</section>`;
}
