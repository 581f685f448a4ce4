// Prometheus view of the audit anchorer, read at scrape time: how many heads were anchored, how many
// attempts failed, and the last anchored row.
import { Gauge, type Registry } from 'prom-client';
import type { AnchorStatus } from './anchorer.js';

export function registerAnchorMetrics(registry: Registry, status: () => AnchorStatus): void {
  const gauge = (name: string, help: string, value: (s: AnchorStatus) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(value(status()));
      },
    });
  gauge(
    'alpr_audit_anchors_total',
    'Signed audit heads this process appended to the anchor file.',
    (s) => s.anchored,
  );
  gauge(
    'alpr_audit_anchor_failures_total',
    'Attempts to anchor the audit head that failed or were refused (see /health audit.lastError).',
    (s) => s.failures,
  );
  gauge(
    'alpr_audit_anchored_seq',
    'Row of the audit chain last anchored (0: none yet).',
    (s) => s.lastAnchor?.seq ?? 0,
  );
  gauge('alpr_audit_anchor_ok', '1 when the last attempt to anchor the audit head succeeded.', (s) =>
    s.lastError ? 0 : 1,
  );
}
