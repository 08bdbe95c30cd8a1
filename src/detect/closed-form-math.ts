import {
  absDependencies,
  addDependencies,
  bitAndDependencies,
  bitNotDependencies,
  bitOrDependencies,
  bitXorDependencies,
  cosDependencies,
  create,
  divideDependencies,
  eDependencies,
  evaluateDependencies,
  expDependencies,
  factorialDependencies,
  leftShiftDependencies,
  log10Dependencies,
  logDependencies,
  type MathJsInstance,
  modDependencies,
  multiplyDependencies,
  piDependencies,
  powDependencies,
  rightArithShiftDependencies,
  rightLogShiftDependencies,
  sinDependencies,
  sqrtDependencies,
  subtractDependencies,
  tanDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
} from 'mathjs/number';

/**
 * mathjs with only what a closed-form answer can use: the functions and constants answer-value.ts lets
 * through (its KNOWN_NAMES) and every operator that yields a number. The bundled CLI then carries these
 * factories alone instead of all of mathjs, which took most of a second to load mid-analysis; anything
 * else (comparisons, matrices, units) throws, as unknown names did, and reads as "no closed form".
 */
const CLOSED_FORM_FACTORIES = {
  evaluateDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  powDependencies,
  modDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  factorialDependencies,
  bitAndDependencies,
  bitOrDependencies,
  bitXorDependencies,
  bitNotDependencies,
  leftShiftDependencies,
  rightArithShiftDependencies,
  rightLogShiftDependencies,
  absDependencies,
  sqrtDependencies,
  logDependencies,
  log10Dependencies,
  expDependencies,
  sinDependencies,
  cosDependencies,
  tanDependencies,
  piDependencies,
  eDependencies,
};

let math: MathJsInstance | undefined;

/** mathjs's evaluate over the closed-form subset; built on first use. Throws on what the subset lacks. */
export function evaluateClosedForm(source: string): unknown {
  math ??= create(CLOSED_FORM_FACTORIES);
  return math.evaluate(source);
}
