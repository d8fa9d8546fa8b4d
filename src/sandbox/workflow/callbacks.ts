import { badRequest } from '../errors';

/** A workflow action execution the sandbox sent (so completions can be matched to it). */
export interface ActionExecution {
  callbackId: string;
  portalId: number;
  objectId: number;
  targetUrl: string;
  sentAt: number;
  responseStatus: number | null;
}

/** A completed callback, as recorded from `POST /automation/v4/actions/callbacks/.../complete`. */
export interface CallbackCompletion {
  callbackId: string;
  portalId: number;
  outputFields: Record<string, unknown>;
  completedAt: number;
  /** Whether the sandbox itself issued this callbackId through an execution. */
  known: boolean;
}

const STATES = new Set(['SUCCESS', 'FAIL_CONTINUE']);

/** Workflow action executions sent, and the completions the app reported back for blocked ones. */
export class CallbackLog {
  private readonly executions = new Map<string, ActionExecution>();
  private readonly completions: CallbackCompletion[] = [];

  recordExecution(execution: ActionExecution): void {
    this.executions.set(execution.callbackId, execution);
  }

  execution(callbackId: string): ActionExecution | undefined {
    return this.executions.get(callbackId);
  }

  listExecutions(): ActionExecution[] {
    return [...this.executions.values()];
  }

  /** Records completions; all are checked first so a bad entry in a batch records none of them. */
  complete(portalId: number, inputs: Array<{ callbackId: string; outputFields: Record<string, unknown> }>): void {
    for (const { callbackId, outputFields } of inputs) {
      const state = outputFields.hs_execution_state;
      if (state !== undefined && !STATES.has(String(state))) {
        throw badRequest(
          `hs_execution_state must be SUCCESS or FAIL_CONTINUE to complete a callback, got ${String(state)}`,
        );
      }
      const execution = this.executions.get(callbackId);
      if (execution && execution.portalId !== portalId)
        throw badRequest(`Callback ${callbackId} does not belong to this portal`);
    }
    const completedAt = Date.now();
    for (const { callbackId, outputFields } of inputs) {
      this.completions.push({
        callbackId,
        portalId,
        outputFields,
        completedAt,
        known: this.executions.has(callbackId),
      });
    }
  }

  listCompletions(): CallbackCompletion[] {
    return [...this.completions];
  }

  clear(): void {
    this.executions.clear();
    this.completions.length = 0;
  }
}
