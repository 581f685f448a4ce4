// Child process for race tests: places holds through the real HoldService on its own connection, at the
// `now` the parent gives, when told to over IPC; replies with what was linked.
import { HoldService } from '../../shared/holds/hold.service.js';
import { openStore } from '../../shared/store/store.js';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: hold-child DB');
const store = openStore(file, { retentionDays: 30 });
const service = new HoldService(store, { maxCameraRangeHours: 24 });

process.on('message', (msg: { type: string; readIds?: number[]; now?: number; caseNumber?: string }) => {
  if (msg.type === 'hold') {
    const result = service.create(
      {
        caseNumber: msg.caseNumber ?? 'RACE-1',
        crimeType: 'PC211',
        reason: 'race test',
        requestedBy: 'det.race',
        approvedBy: 'lt.race',
        readIds: (msg.readIds ?? []).map(String),
      },
      msg.now ?? Date.now(),
    );
    process.send?.(
      result.ok
        ? {
            type: 'held',
            holdId: result.value.hold.id,
            linked: result.value.matched,
            notFound: result.value.notFoundReadIds,
          }
        : { type: 'refused', error: result.error },
    );
  } else if (msg.type === 'exit') {
    store.close();
    process.disconnect?.();
  }
});
process.send?.({ type: 'ready' });
