/** The audit sample's seed: the run's own seed, so `view --audit` and `audit export` agree without a flag. */
export function auditSeedOf(settings: Record<string, unknown>, override?: number): number {
  if (override !== undefined) return override;
  return typeof settings.seed === 'number' && Number.isInteger(settings.seed) ? settings.seed : 42;
}
