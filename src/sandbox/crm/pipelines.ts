import { notFound } from '../errors';
import type { PropertyOption } from './property-catalog';

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  metadata: Record<string, string>;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
}

export type PipelineObject = 'deals' | 'tickets';

const deal = (id: string, label: string, order: number, probability: string, closed = false): PipelineStage => ({
  id,
  label,
  displayOrder: order,
  metadata: { isClosed: String(closed), probability },
});
const ticket = (id: string, label: string, order: number, state: 'OPEN' | 'CLOSED'): PipelineStage => ({
  id,
  label,
  displayOrder: order,
  metadata: { ticketState: state, isClosed: String(state === 'CLOSED') },
});

/** HubSpot's default sales pipeline, a custom pipeline with numeric ids, and the default support pipeline. */
export function defaultPipelines(): Record<PipelineObject, Pipeline[]> {
  return {
    deals: [
      {
        id: 'default',
        label: 'Sales Pipeline',
        displayOrder: 0,
        stages: [
          deal('appointmentscheduled', 'Appointment Scheduled', 0, '0.2'),
          deal('qualifiedtobuy', 'Qualified To Buy', 1, '0.4'),
          deal('presentationscheduled', 'Presentation Scheduled', 2, '0.6'),
          deal('decisionmakerboughtin', 'Decision Maker Bought-In', 3, '0.8'),
          deal('contractsent', 'Contract Sent', 4, '0.9'),
          deal('closedwon', 'Closed Won', 5, '1.0', true),
          deal('closedlost', 'Closed Lost', 6, '0.0', true),
        ],
      },
      {
        id: '87654321',
        label: 'Renewals',
        displayOrder: 1,
        stages: [
          deal('87654322', 'Renewal due', 0, '0.5'),
          deal('87654323', 'Negotiation', 1, '0.7'),
          deal('87654324', 'Renewed', 2, '1.0', true),
          deal('87654325', 'Churned', 3, '0.0', true),
        ],
      },
    ],
    tickets: [
      {
        id: '0',
        label: 'Support Pipeline',
        displayOrder: 0,
        stages: [
          ticket('1', 'New', 0, 'OPEN'),
          ticket('2', 'Waiting on contact', 1, 'OPEN'),
          ticket('3', 'Waiting on us', 2, 'OPEN'),
          ticket('4', 'Closed', 3, 'CLOSED'),
        ],
      },
    ],
  };
}

export class PipelineCatalog {
  constructor(
    private readonly pipelines: Record<PipelineObject, Pipeline[]>,
    private readonly createdAt: number,
  ) {}

  list(type: PipelineObject): Pipeline[] {
    return this.pipelines[type];
  }

  get(type: PipelineObject, id: string): Pipeline {
    const pipeline = this.pipelines[type].find((p) => p.id === id);
    if (!pipeline) throw notFound(`Unable to find pipeline ${id} for object type ${type}`);
    return pipeline;
  }

  find(type: PipelineObject, id: string): Pipeline | undefined {
    return this.pipelines[type].find((p) => p.id === id);
  }

  /** The pipeline holding a stage id; stage ids are unique across one object's pipelines, as in HubSpot. */
  pipelineOfStage(type: PipelineObject, stageId: string): Pipeline | undefined {
    return this.pipelines[type].find((p) => p.stages.some((s) => s.id === stageId));
  }

  pipelineOptions(type: PipelineObject): PropertyOption[] {
    return this.pipelines[type].map((p) => ({
      label: p.label,
      value: p.id,
      displayOrder: p.displayOrder,
      hidden: false,
    }));
  }

  stageOptions(type: PipelineObject): PropertyOption[] {
    return this.pipelines[type].flatMap((p) =>
      p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false })),
    );
  }

  stageToWire(stage: PipelineStage): Record<string, unknown> {
    const at = new Date(this.createdAt).toISOString();
    return { ...stage, createdAt: at, updatedAt: at, archived: false, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT' };
  }

  toWire(pipeline: Pipeline): Record<string, unknown> {
    const at = new Date(this.createdAt).toISOString();
    return {
      id: pipeline.id,
      label: pipeline.label,
      displayOrder: pipeline.displayOrder,
      stages: pipeline.stages.map((s) => this.stageToWire(s)),
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
  }
}
