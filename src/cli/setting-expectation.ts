import type { z } from 'zod';

/** The zod check definitions a number schema carries (zod 4 keeps them on the def). */
interface NumberCheck {
  check?: string;
  format?: string;
  value?: number;
  inclusive?: boolean;
}

function innerSchema(schema: z.ZodType): z.ZodType {
  let inner = schema;
  for (let def = inner._zod.def as { innerType?: z.ZodType }; def.innerType; def = inner._zod.def as { innerType?: z.ZodType })
    inner = def.innerType;
  return inner;
}

/**
 * What a setting accepts, in words, from its schema: "a number greater than 0 and at most 1",
 * "a whole number of at least 1". Used in the message for a flag value the schema refuses.
 */
export function expectedValue(schema: z.ZodType): string {
  const inner = innerSchema(schema);
  const def = inner._zod.def as { type: string; checks?: { _zod: { def: NumberCheck } }[] };
  if (def.type !== 'number') return `a valid ${def.type}`;
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const whole = checks.some((c) => c.format === 'safeint' || c.format === 'int32');
  const bounds: string[] = [];
  for (const c of checks) {
    if (c.value === undefined) continue;
    // A whole number's strict bound reads better as the nearest whole number allowed: > 0 is "at least 1".
    if (c.check === 'greater_than')
      bounds.push(c.inclusive ? `at least ${c.value}` : whole ? `at least ${Math.floor(c.value) + 1}` : `greater than ${c.value}`);
    if (c.check === 'less_than')
      bounds.push(c.inclusive ? `at most ${c.value}` : whole ? `at most ${Math.ceil(c.value) - 1}` : `less than ${c.value}`);
  }
  const noun = whole ? 'a whole number' : 'a number';
  return bounds.length === 0 ? noun : `${noun}${whole ? ' of' : ''} ${bounds.join(' and ')}`;
}
