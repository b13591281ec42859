/**
 * The one way this tool starts git (through simple-git): in the repository at `root`, with the
 * user's environment, and git's messages in English (callers match some of them).
 *
 * simple-git refuses to run when the environment names programs git could start (an editor, a
 * pager, an askpass or ssh helper, extra config). Every command we run is non-interactive, so the
 * editor and pager variables are dropped; the others are how users and CI runners authenticate a
 * fetch (GIT_ASKPASS, GIT_SSH_COMMAND, GIT_CONFIG_*), so they are passed on as the user set them.
 */
import { type SimpleGit, simpleGit } from 'simple-git';

const NEVER_NEEDED = new Set(['EDITOR', 'VISUAL', 'PAGER', 'GIT_EDITOR', 'GIT_PAGER', 'GIT_SEQUENCE_EDITOR']);

export function gitEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !NEVER_NEEDED.has(key.toUpperCase())) out[key] = value;
  }
  return { ...out, LC_ALL: 'C', LANGUAGE: 'C' };
}

export function openGit(root: string, env: NodeJS.ProcessEnv = process.env): SimpleGit {
  const environment = gitEnvironment(env);
  return simpleGit({
    baseDir: root,
    allowEnvironment: Object.keys(environment),
    unsafe: {
      // The user's own ways to reach a remote: never set by this tool, only passed on.
      allowUnsafeAskPass: true,
      allowUnsafeSshCommand: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeConfigEnvCount: true,
      allowUnsafeGitProxy: true,
    },
  }).env(environment);
}
