import type { Request, Response } from 'express';
import type { Settings, TriggerRule } from '../core';
import { getSettings } from '../core';
import { NotFoundError, escapeHtml as e } from '../shared';
import { applyForm, placeIssues, type FormBody } from './form-values';
import type { FormState } from './form.view';
import { savedNotice, sendWorkspacePage, viewerNotice } from './layout.view';
import { saveFromWorkspace } from './save';
import { sectionForm, type WorkspaceRoutes } from './sections.routes';
import { TRIGGERS_PATH, loadPipelines, ruleFields, type PipelineCatalog } from './sections/triggers';
import { REFRESH_BUTTON, pipelineData, rulesList } from './triggers.view';
import { stagesFor, type ObjectKind } from './hubspot-catalog';

// The trigger rules editor: list, add, edit, turn on/off, remove. Every change is a whole-settings save, checked
// like any other (the rule's pipeline and stage must exist in the portal). Works without JavaScript: changing
// the object or pipeline and pressing "Show the pipelines and stages" re-renders the lists from the server.

interface Chosen {
  objectType: ObjectKind;
  pipelineId: string;
  stageId: string;
  isNew: boolean;
}

function newRule(settings: Settings, objectType: ObjectKind, catalog: PipelineCatalog): TriggerRule {
  const taken = new Set(settings.triggers.map((r) => r.id));
  let n = settings.triggers.length + 1;
  while (taken.has(`${objectType}-rule-${n}`)) n++;
  const pipelineId = objectType === 'deal' ? '*' : (catalog.ticket?.[0]?.id ?? '0');
  return {
    id: `${objectType}-rule-${n}`,
    enabled: true,
    objectType,
    pipelineId,
    stageId: '',
    delayHours: 24,
    channel: 'email',
    wording: {},
  };
}

const kindOf = (v: unknown): ObjectKind => (v === 'ticket' ? 'ticket' : 'deal');
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The object, pipeline and stage a submitted form chose, put right when the object or pipeline changed. */
function chosenFrom(body: FormBody, index: number, catalog: PipelineCatalog, isNew: boolean): Chosen {
  const key = (k: string) => `triggers.${index}.${k}`;
  const objectType = kindOf(body[key('objectType')]);
  const pipelines = catalog[objectType];
  let pipelineId = str(body[key('pipelineId')]);
  let stageId = str(body[key('stageId')]);
  if (pipelines && body._action === 'refresh') {
    const anyAllowed = objectType === 'deal';
    if (!(pipelineId === '*' && anyAllowed) && !pipelines.some((p) => p.id === pipelineId))
      pipelineId = anyAllowed ? '*' : (pipelines[0]?.id ?? '');
    if (!stagesFor(pipelines, pipelineId).some((s) => s.id === stageId)) stageId = '';
  }
  return { objectType, pipelineId, stageId, isNew };
}

/** The form's fields moved to the rule's index now (rules added or removed since the form was loaded). */
function atIndex(body: FormBody, index: number): FormBody {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k.replace(/^triggers\.\d+\./, `triggers.${index}.`), v]),
  );
}

export function registerTriggerRoutes(r: WorkspaceRoutes): void {
  const { router, deps, assets } = r;

  const ruleIndex = (settings: Settings, id: string) => {
    const index = settings.triggers.findIndex((t) => t.id === id);
    if (index < 0) throw new NotFoundError(`no trigger rule ${id}`, 'unknown_trigger_rule');
    return index;
  };

  const renderRule = async (
    req: Request,
    res: Response,
    base: Settings,
    index: number,
    chosen: Chosen,
    catalog: PipelineCatalog,
    state: Partial<FormState> = {},
  ) => {
    const fields = ruleFields(index, chosen, catalog);
    const action = chosen.isNew
      ? `${TRIGGERS_PATH}/add`
      : `${TRIGGERS_PATH}/edit/${encodeURIComponent(base.triggers[index]!.id)}`;
    const title = chosen.isNew ? 'Add a trigger rule' : `Edit rule ${base.triggers[index]!.id}`;
    sendWorkspacePage(res, req, assets, base, {
      title,
      scripts: true,
      status: state.issues ? 400 : 200,
      main: `<p class="crumbs"><a href="/dashboard/settings">Settings</a> › <a href="${TRIGGERS_PATH}">Trigger rules</a> › ${e(title)}</p>
<h1>${e(title)}</h1>
${viewerNotice(req)}
${sectionForm(req, action, title, fields, { settings: base, ...state }, REFRESH_BUTTON, TRIGGERS_PATH)}
${pipelineData(catalog)}`,
    });
  };

  /** The settings a rule form starts from: the current ones, plus a new rule at the end when adding. */
  const baseFor = async (req: Request, id: string | undefined, catalog: PipelineCatalog, objectType: ObjectKind) => {
    const settings = await getSettings(deps.db, req.portalId as number);
    if (id !== undefined) return { base: settings, index: ruleIndex(settings, id) };
    const base = structuredClone(settings);
    base.triggers.push(newRule(settings, objectType, catalog));
    return { base, index: base.triggers.length - 1 };
  };

  router.get(TRIGGERS_PATH, r.signedIn, async (req, res) => {
    const portalId = req.portalId as number;
    const [settings, catalog] = await Promise.all([getSettings(deps.db, portalId), loadPipelines(deps, portalId)]);
    sendWorkspacePage(res, req, assets, settings, {
      title: 'Trigger rules',
      main: `<p class="crumbs"><a href="/dashboard/settings">Settings</a> › Trigger rules</p>
<h1>Trigger rules</h1>
<p class="sub">When a deal or ticket reaches a stage, its contacts get a survey after the delay (one quiet period per person across all rules).</p>
${savedNotice(req)}${viewerNotice(req)}
${rulesList(req, settings.triggers, catalog)}`,
    });
  });

  const showForm = (isNew: boolean) => async (req: Request, res: Response) => {
    const catalog = await loadPipelines(deps, req.portalId as number);
    const id = isNew ? undefined : String(req.params.rule);
    const { base, index } = await baseFor(req, id, catalog, kindOf(req.query.objectType));
    const rule = base.triggers[index]!;
    const chosen = { objectType: rule.objectType, pipelineId: rule.pipelineId, stageId: rule.stageId, isNew };
    await renderRule(req, res, base, index, chosen, catalog);
  };

  const submitForm = (isNew: boolean) => async (req: Request, res: Response) => {
    const catalog = await loadPipelines(deps, req.portalId as number);
    const id = isNew ? undefined : String(req.params.rule);
    const { base, index } = await baseFor(req, id, catalog, 'deal');
    const body = atIndex((req.body ?? {}) as FormBody, index);
    const chosen = chosenFrom(body, index, catalog, isNew);
    const fields = ruleFields(index, chosen, catalog);
    const applied = applyForm(base, fields, body);
    if (body._action === 'refresh') {
      const typed = {
        ...applied.typed,
        [`triggers.${index}.pipelineId`]: chosen.pipelineId,
        [`triggers.${index}.stageId`]: chosen.stageId,
      };
      return renderRule(req, res, base, index, chosen, catalog, { typed });
    }
    const outcome = await saveFromWorkspace(deps, req, applied.candidate, r.sections(), applied.issues);
    if (outcome.ok) return void res.redirect(303, `${TRIGGERS_PATH}?saved=1`);
    await renderRule(req, res, base, index, chosen, catalog, {
      typed: applied.typed,
      issues: placeIssues(fields, outcome.issues),
    });
  };

  router.get(`${TRIGGERS_PATH}/add`, r.signedIn, showForm(true));
  router.post(`${TRIGGERS_PATH}/add`, r.signedIn, r.adminOnly, submitForm(true));
  router.get(`${TRIGGERS_PATH}/edit/:rule`, r.signedIn, showForm(false));
  router.post(`${TRIGGERS_PATH}/edit/:rule`, r.signedIn, r.adminOnly, submitForm(false));

  // On/off and remove change one rule; any problem (a rule the schema or the checks refuse) is shown on the list.
  const change = (apply: (rules: TriggerRule[], index: number) => void) => async (req: Request, res: Response) => {
    const portalId = req.portalId as number;
    const settings = await getSettings(deps.db, portalId);
    const candidate = structuredClone(settings);
    apply(candidate.triggers, ruleIndex(settings, String(req.params.rule)));
    const outcome = await saveFromWorkspace(deps, req, candidate, r.sections());
    if (outcome.ok) return void res.redirect(303, `${TRIGGERS_PATH}?saved=1`);
    const catalog = await loadPipelines(deps, portalId);
    sendWorkspacePage(res, req, assets, settings, {
      title: 'Trigger rules',
      status: 400,
      main: `<h1>Trigger rules</h1>
<div class="form-problems" role="alert"><p>Nothing was saved:</p><ul>${outcome.issues.map((i) => `<li>${e(i.path.join('.'))}: ${e(i.message)}</li>`).join('')}</ul></div>
${rulesList(req, settings.triggers, catalog)}`,
    });
  };
  router.post(
    `${TRIGGERS_PATH}/toggle/:rule`,
    r.signedIn,
    r.adminOnly,
    change((rules, i) => void (rules[i]!.enabled = !rules[i]!.enabled)),
  );
  router.post(
    `${TRIGGERS_PATH}/remove/:rule`,
    r.signedIn,
    r.adminOnly,
    change((rules, i) => void rules.splice(i, 1)),
  );
}
