// Storage and cost (the policy cites the savings of 30-day retention): bytes per read, reads per day, and
// what keeping 30 days saves against keeping a year, from live figures. Pure; a figure that cannot be
// computed is null, never NaN (the portal and the report render null as "unavailable").

export interface StorageFacts {
  /** reads stored now */
  readsStored: number;
  /** bytes the reads take now (table + indexes) */
  readsBytes: number;
  /** reads received over the last `windowDays` */
  readsInWindow: number;
  windowDays: number;
  retentionDays: number;
  /** storage price, USD per GB-month, for the estimate */
  usdPerGbMonth: number;
}

export interface StorageCost {
  bytesPerRead: number | null;
  readsPerDay: number | null;
  /** what `retentionDays` of reads takes at the current rate, and what 365 days would */
  retainedBytes: number | null;
  yearBytes: number | null;
  savedBytes: number | null;
  savedShare: number | null;
  savedUsdPerMonth: number | null;
  retentionDays: number;
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);

/**
 * @example storageCost({ readsStored: 1000, readsBytes: 400_000, readsInWindow: 300, windowDays: 30, retentionDays: 30, usdPerGbMonth: 0.1 }).savedShare // 0.918
 */
export function storageCost(f: StorageFacts): StorageCost {
  const bytesPerRead = f.readsStored > 0 ? finite(f.readsBytes / f.readsStored) : null;
  const readsPerDay = f.windowDays > 0 ? finite(f.readsInWindow / f.windowDays) : null;
  const perDayBytes = bytesPerRead !== null && readsPerDay !== null ? bytesPerRead * readsPerDay : null;
  const retainedBytes = perDayBytes === null ? null : Math.round(perDayBytes * f.retentionDays);
  const yearBytes = perDayBytes === null ? null : Math.round(perDayBytes * 365);
  const savedBytes =
    retainedBytes === null || yearBytes === null ? null : Math.max(0, yearBytes - retainedBytes);
  return {
    bytesPerRead: bytesPerRead === null ? null : Math.round(bytesPerRead),
    readsPerDay: readsPerDay === null ? null : Math.round(readsPerDay * 10) / 10,
    retainedBytes,
    yearBytes,
    savedBytes,
    savedShare: f.retentionDays >= 365 ? 0 : Math.round((1 - f.retentionDays / 365) * 1000) / 1000,
    savedUsdPerMonth:
      savedBytes === null ? null : Math.round((savedBytes / 1e9) * f.usdPerGbMonth * 100) / 100,
    retentionDays: f.retentionDays,
  };
}
