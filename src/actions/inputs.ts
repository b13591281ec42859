/**
 * The actions' inputs, read through @actions/core (the runner passes `with:` values as INPUT_*
 * variables; action.yml supplies the defaults). An empty policies/output/mode/cluster means "not
 * given": contrail-gitops.yaml, then the built-in default, decides.
 */
import * as core from '@actions/core';
import type { ConfigOverrides } from '../config/load.js';
import { UserError } from '../diagnostics.js';
import type { Mode } from '../snapshot/model.js';

export const FAIL_ON = ['none', 'invalid', 'divergence', 'risk'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const DEFAULT_COMMIT_MESSAGE = 'chore(rendered): render Contrail configuration [skip ci]';
export const DEFAULT_AUTHOR = 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>';

/** The token, masked in the log from here on (a runner masks `secrets.*`, not a token passed another way). */
export function readToken(): string {
  const token = core.getInput('github-token');
  if (token) core.setSecret(token);
  return token;
}

/** policies / output / mode / cluster as configuration overrides (validated by loadConfig). */
export function readConfigOverrides(): ConfigOverrides {
  const given = (name: string) => core.getInput(name) || undefined;
  return {
    policies: given('policies'),
    output: given('output'),
    mode: given('mode') as Mode | undefined,
    cluster: given('cluster'),
  };
}

export function readFailOn(): FailOn {
  const value = core.getInput('fail-on') || 'invalid';
  if (!(FAIL_ON as readonly string[]).includes(value)) {
    throw new UserError(`fail-on: must be one of ${FAIL_ON.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as FailOn;
}
