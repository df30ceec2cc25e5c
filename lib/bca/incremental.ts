// Incremental BCR between mutually exclusive alternatives (research/bca.md §5.1): order by PV
// cost, start from do-nothing, and move to the next costlier alternative only when its extra
// benefits over the current best exceed its extra costs (ΔB/ΔC > threshold). Picking the highest
// BCR alternative is wrong: the costlier one can still be worth its increment.

export interface AltPv {
  alternative_id: string;
  benefits: number;
  costs: number;
}

export interface IncrementStep {
  alternative_id: string;
  compared_with: string;
  delta_benefits: number;
  delta_costs: number;
  incremental_bcr: number | null;
  accepted: boolean;
}

export function incrementalAnalysis(
  alts: AltPv[],
  threshold = 1,
): { steps: IncrementStep[]; preferred: string } {
  const sorted = [...alts].sort((a, b) => a.costs - b.costs);
  let best: AltPv = { alternative_id: 'do_nothing', benefits: 0, costs: 0 };
  const steps: IncrementStep[] = [];
  for (const a of sorted) {
    const dB = a.benefits - best.benefits;
    const dC = a.costs - best.costs;
    const ratio = dC > 0 ? dB / dC : null;
    // a cheaper-or-equal alternative with more benefits dominates outright
    const accepted = ratio === null ? dB > 0 : ratio > threshold;
    steps.push({
      alternative_id: a.alternative_id,
      compared_with: best.alternative_id,
      delta_benefits: dB,
      delta_costs: dC,
      incremental_bcr: ratio,
      accepted,
    });
    if (accepted) best = a;
  }
  return { steps, preferred: best.alternative_id };
}
