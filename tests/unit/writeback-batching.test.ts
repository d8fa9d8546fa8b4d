import { describe, expect, it } from 'vitest';
import { itemsToSend } from '../../src/outbox';
import { classifyBatchResult, describeError, isRejection } from '../../src/outbox';

const NOW = new Date('2025-01-01T00:00:10Z');
const items = (n: number, ageMs: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ key: String(i), dueAt: new Date(NOW.getTime() - ageMs(i)) }));

describe('coalescing write-back into batches of 100', () => {
  const HOLD = { quietMs: 600, maxHoldMs: 3000 };
  /** n items, oldest first, the oldest `oldestMs` and the newest `newestMs` before NOW, evenly spread. */
  const spread = (n: number, oldestMs: number, newestMs: number) =>
    items(n, (i) => (n === 1 ? newestMs : oldestMs - ((oldestMs - newestMs) * i) / (n - 1)));

  it.each([
    {
      n: 250,
      oldest: 1000,
      newest: 10,
      sent: 200,
      why: 'full batches go now; the remainder waits while answers stream in',
    },
    { n: 250, oldest: 20_000, newest: 10, sent: 250, why: 'a remainder never waits longer than the maximum hold' },
    { n: 40, oldest: 900, newest: 100, sent: 0, why: 'a partial batch that is still filling waits' },
    { n: 40, oldest: 2000, newest: 700, sent: 40, why: 'a partial batch goes once answers stopped arriving' },
    { n: 1, oldest: 650, newest: 650, sent: 1, why: 'a lone answer goes after the quiet time' },
    { n: 1, oldest: 200, newest: 200, sent: 0, why: 'a lone answer waits the quiet time for company' },
    { n: 300, oldest: 100, newest: 0, sent: 300, why: 'whole batches are never held' },
    { n: 0, oldest: 0, newest: 0, sent: 0, why: 'nothing due' },
  ])('$n due, from $oldest to $newest ms old: $sent sent ($why)', ({ n, oldest, newest, sent }) => {
    expect(itemsToSend(spread(n, oldest, newest), NOW, HOLD)).toHaveLength(sent);
  });

  it.each([
    { hold: 0, oldest: 10, sent: 40 },
    { hold: 1500, oldest: 1499, sent: 0 },
    { hold: 1500, oldest: 1500, sent: 40 },
  ])(
    'a plain hold of $hold ms sends a partial batch whose oldest item waited $oldest ms: $sent',
    ({ hold, oldest, sent }) => {
      expect(itemsToSend(spread(40, oldest, 0), NOW, hold)).toHaveLength(sent);
    },
  );
});

describe('sorting a batch answer into landed, gone and failed', () => {
  const inputs = ['1', '2', '3', '4'].map((id) => ({ id, item: `item-${id}` }));

  it('a contact deleted in HubSpot is gone (done), a refused value is failed and rejected, the rest landed', () => {
    const verdict = classifyBatchResult(inputs, {
      succeeded: [
        { id: '1', properties: {} },
        { id: '4', properties: {} },
      ],
      failed: [
        {
          id: '2',
          status: 404,
          category: 'OBJECT_NOT_FOUND',
          message: 'Object not found. objectId are usually numeric.',
        },
        { id: '3', status: 400, category: 'VALIDATION_ERROR', message: 'Property values were not valid' },
      ],
    });
    expect(verdict.landed).toEqual(['item-1', 'item-4']);
    expect(verdict.gone.map((g) => g.item)).toEqual(['item-2']);
    expect(verdict.failed).toEqual([
      { id: '3', item: 'item-3', reason: '400 VALIDATION_ERROR: Property values were not valid', rejected: true },
    ]);
  });

  it('a failure that names no id fails every input that did not come back as written', () => {
    const verdict = classifyBatchResult(inputs, {
      succeeded: [{ id: '1', properties: {} }],
      failed: [{ status: 500, category: 'UNAVAILABLE', message: 'boom' }],
    });
    expect(verdict.landed).toEqual(['item-1']);
    expect(verdict.failed.map((f) => [f.id, f.rejected])).toEqual([
      ['2', false],
      ['3', false],
      ['4', false],
    ]);
  });

  it.each([
    [{ status: 400 }, true],
    [{ status: 401 }, true],
    [{ status: 403 }, true],
    [{ status: 429 }, false],
    [{ status: 503 }, false],
    [{ status: 0 }, false],
    [new Error('socket hang up'), false],
  ])('%o is a refusal operators must see: %s', (err, want) => {
    expect(isRejection(err)).toBe(want);
  });

  it('describes an error with its status', () => {
    expect(describeError(Object.assign(new Error('nope'), { status: 400 }))).toBe('400: nope');
    expect(describeError(new Error('socket hang up'))).toBe('no answer: socket hang up');
  });
});
