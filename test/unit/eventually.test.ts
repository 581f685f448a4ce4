// The one polling helper: returns the first truthy probe value, and throws naming what it waited for.
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';

describe('eventually', () => {
  it('resolves with the first truthy value the probe returns', async () => {
    let calls = 0;
    const value = await eventually('the third call', () => ++calls >= 3 && { calls }, { stepMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it('throws, naming the description, when the probe never succeeds in time', async () => {
    await expect(eventually('a receipt', () => false, { timeoutMs: 20, stepMs: 5 })).rejects.toThrow(
      'timed out after 20 ms waiting for a receipt',
    );
  });

  it('passes a probe error through at once', async () => {
    await expect(
      eventually('anything', () => {
        throw new Error('probe broke');
      }),
    ).rejects.toThrow('probe broke');
  });
});
