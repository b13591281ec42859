/**
 * Command-line flags for the scripts: parsed with minimist (zx ships it), then checked strictly,
 * so that a typo (`--polices 1000`) is an error instead of a silent default.
 */
import { minimist } from 'zx';

/**
 * @param {string[]} args       process.argv.slice(2)
 * @param {{strings?: string[], booleans?: string[], defaults?: Record<string, unknown>}} spec
 * @returns {{flags: Record<string, unknown>, problems: string[]}}
 */
export function parseFlags(args, spec) {
  const strings = spec.strings ?? [];
  const booleans = spec.booleans ?? [];
  const flags = minimist(args, { string: strings, boolean: booleans, default: spec.defaults ?? {} });
  const problems = [];
  for (const key of Object.keys(flags)) {
    if (key !== '_' && !strings.includes(key) && !booleans.includes(key)) problems.push(`unknown flag --${key}`);
  }
  if (flags._.length > 0) problems.push(`unexpected argument ${JSON.stringify(String(flags._[0]))}: every value goes with a flag`);
  for (const key of strings) {
    if (Array.isArray(flags[key])) problems.push(`--${key} given more than once`);
  }
  return { flags, problems };
}

/** A flag's value as a whole number; NaN when absent or not one (the caller's check says so). */
export function wholeNumber(value) {
  if (value === undefined || value === '') return NaN;
  const s = String(value).replace(/_/g, '');
  return /^\d+$/.test(s) ? Number(s) : NaN;
}

/** A comma-separated list of whole numbers (`1000,10000`). */
export function wholeNumbers(value) {
  return String(value).split(',').map((v) => wholeNumber(v.trim()));
}
