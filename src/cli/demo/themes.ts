import type { AppDeps } from '../../core';
import { currentThemes, defineTheme } from '../../themes';

// The demo portal's comment themes, defined as an admin would on /dashboard/themes, so the dashboard's "what
// detractors talk about" has something to show on the first run. Keywords are matched on word stems.
const DEMO_THEMES: Array<{ name: string; keywords: { en: string[] } }> = [
  { name: 'Support responsiveness', keywords: { en: ['support', 'called back', 'response times', 'ticket'] } },
  { name: 'Pricing and billing', keywords: { en: ['expensive', 'pricing', 'billing', 'invoice', 'renewal'] } },
  { name: 'Onboarding', keywords: { en: ['onboarding'] } },
  { name: 'Reliability and bugs', keywords: { en: ['broke', 'update', 'lags', 'reliable'] } },
  { name: 'Account manager', keywords: { en: ['account manager', 'listens'] } },
];

/** Defines the demo themes once; a portal that already has themes keeps its own. */
export async function seedDemoThemes(deps: Pick<AppDeps, 'db'>, portalId: number): Promise<number> {
  if ((await currentThemes(deps, portalId)).length > 0) return 0;
  for (const theme of DEMO_THEMES) await defineTheme(deps, portalId, theme);
  return DEMO_THEMES.length;
}
