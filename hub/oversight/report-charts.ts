// The report's charts as PNG: the SVG from shared/oversight/charts-svg.ts rasterised by sharp (librsvg),
// so the PDF embeds pictures people can read at a glance.
import sharp from 'sharp';
import {
  blockedByCategorySvg,
  oldestUnheldSvg,
  searchesPerWeekSvg,
} from '../../shared/oversight/charts-svg.js';
import { BLOCKED_CATEGORY_LABELS } from '../../shared/oversight/portal.js';
import type { QuarterlyReport } from '../../shared/oversight/quarterly-report.js';

export interface ReportCharts {
  searchesPerWeek: Buffer;
  blockedByCategory: Buffer;
  oldestUnheld: Buffer;
}

const png = (svg: string) => sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();

export async function renderReportCharts(report: QuarterlyReport): Promise<ReportCharts> {
  const [searchesPerWeek, blockedByCategory, oldestUnheld] = await Promise.all([
    png(searchesPerWeekSvg(report.searchesPerWeek)),
    png(blockedByCategorySvg(report.blockedByCategory, BLOCKED_CATEGORY_LABELS)),
    png(oldestUnheldSvg(report.retention.perDay, report.retention.limitMs)),
  ]);
  return { searchesPerWeek, blockedByCategory, oldestUnheld };
}
