/**
 * `sen12ms-studio <command>`: each command lives in its own module under commands/ and is loaded
 * only when asked for, so `--help` and light commands start fast.
 */
import { UsageError } from './args.js';

export interface CommandModule {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  start: () => import('./commands/start.js'),
  index: () => import('./commands/index-dataset.js'),
  catalog: () => import('./commands/catalog.js'),
  synth: () => import('./commands/synth.js'),
  doctor: () => import('./commands/doctor.js'),
  pretrain: () => import('./commands/pretrain.js'),
  finetune: () => import('./commands/finetune.js'),
  evaluate: () => import('./commands/evaluate.js'),
  export: () => import('./commands/export.js'),
  embed: () => import('./commands/embed.js'),
  experiment: () => import('./commands/experiment.js'),
};

function help(): string {
  return [
    'usage: sen12ms-studio <command> [options]',
    '',
    'commands:',
    ...Object.keys(COMMANDS).map((c) => `  ${c}`),
    '',
    'Run `sen12ms-studio <command> --help` for the options of one command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`sen12ms-studio: unknown command "${name}"\n${help()}\n`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${cmd.usage}\n\n${cmd.summary}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`sen12ms-studio ${name}: ${err.message}\nusage: ${cmd.usage}\n`);
      return 2;
    }
    process.stderr.write(`sen12ms-studio ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
