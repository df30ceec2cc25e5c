// One entry point for every effect kind a scenario can declare.
import type { CalcCtx, CalcOut } from './common';
import { type EmissionsEffect, emissionsBenefits } from './emissions';
import { type OperationsEffect, operationsBenefits } from './operations';
import { type OtherEffect, otherBenefits } from './other';
import { type SafetyEffect, safetyBenefits } from './safety';
import { type TravelTimeEffect, travelTimeBenefits } from './travel-time';
import { type VocEffect, vocBenefits } from './voc';

export type Effect =
  | TravelTimeEffect
  | VocEffect
  | SafetyEffect
  | EmissionsEffect
  | OperationsEffect
  | OtherEffect;

export function effectBenefits(e: Effect, c: CalcCtx): CalcOut {
  switch (e.kind) {
    case 'travel_time':
      return travelTimeBenefits(e, c);
    case 'voc':
      return vocBenefits(e, c);
    case 'safety':
      return safetyBenefits(e, c);
    case 'emissions':
      return emissionsBenefits(e, c);
    case 'operations':
      return operationsBenefits(e, c);
    case 'other':
      return otherBenefits(e, c);
  }
}

export type { CalcCtx, CalcOut, Outcome } from './common';
export { calcCtx } from './common';
