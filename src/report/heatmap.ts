/** The heatmap's tables from signature rows, each cell with how it compares with its peers. */
import { peerContrasts } from '../chart/peer-contrast.js';
import type { SignatureRow } from '../chart/signatures.js';
import { datasetOfGroup, type Heatmap, type HeatmapCell, type HeatmapTable } from './view-data.js';

/** Which groups a group is compared with: every other one, or (model × dataset) the other models on its dataset. */
type PeerRule = 'all' | 'same-dataset';

function tableOf(rows: readonly SignatureRow[], peers: PeerRule): HeatmapTable {
  const groups = [...new Set(rows.map((r) => r.group))].sort();
  const index = new Map(groups.map((g, i) => [g, i]));
  const cells: Record<string, (HeatmapCell | null)[]> = {};
  // A leaf that ends above a depth repeats at deeper depths with the same numbers: keep its first row.
  const seen = new Set<string>();
  for (const r of [...rows].sort((a, b) => a.depth - b.depth)) {
    const key = `${r.categoryId}\u0000${r.group}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const row = cells[r.categoryId] ?? new Array<HeatmapCell | null>(groups.length).fill(null);
    cells[r.categoryId] = row;
    row[index.get(r.group) as number] = {
      count: r.count,
      n: r.n,
      share: r.share,
      ciLow: r.ciLow,
      ciHigh: r.ciHigh,
      incidence: r.incidence,
      incidenceLow: r.incidenceLow,
      incidenceHigh: r.incidenceHigh,
    };
  }
  const peersOf = peerRule(groups, peers);
  for (const row of Object.values(cells)) {
    peerContrasts(row, peersOf).forEach((contrast, i) => {
      const cell = row[i];
      if (cell && contrast) Object.assign(cell, contrast);
    });
  }
  return { groups, cells };
}

function peerRule(groups: readonly string[], rule: PeerRule): (i: number) => number[] {
  const all = groups.map((_, i) => i);
  if (rule === 'all') return (i) => all.filter((j) => j !== i);
  const dataset = groups.map(datasetOfGroup);
  return (i) => all.filter((j) => j !== i && dataset[j] === dataset[i]);
}

/** Lays out signature rows (groupBy model, dataset, model,dataset; every depth) as heatmap tables. */
export function heatmapFromSignatures(rows: readonly SignatureRow[]): Heatmap {
  return {
    byModel: tableOf(
      rows.filter((r) => r.groupBy === 'model'),
      'all',
    ),
    byDataset: tableOf(
      rows.filter((r) => r.groupBy === 'dataset'),
      'all',
    ),
    byModelDataset: tableOf(
      rows.filter((r) => r.groupBy === 'model,dataset'),
      'same-dataset',
    ),
  };
}
