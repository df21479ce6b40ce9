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

/** Each command's module, loaded on demand, and the line `--help` shows for it. */
const COMMANDS: Record<string, { about: string; load: () => Promise<CommandModule> }> = {
  start: { about: 'the desktop app on the embedded sample (server mode where Electron is missing)', load: () => import('./commands/start.js') },
  serve: { about: 'the app for a browser: renderer + API behind a token (server mode)', load: () => import('./commands/serve.js') },
  index: { about: 'index a SEN12MS folder into a SQLite catalog', load: () => import('./commands/index-dataset.js') },
  catalog: { about: 'export a catalog as GeoJSON or CSV', load: () => import('./commands/catalog.js') },
  synth: { about: 'write a synthetic data set in the SEN12MS format', load: () => import('./commands/synth.js') },
  doctor: { about: 'which TensorFlow.js backends load, which one trains, GPU seen', load: () => import('./commands/doctor.js') },
  pretrain: { about: 'MoCo-v2 pretraining (sensor pairs, augmentation, fusion)', load: () => import('./commands/pretrain.js') },
  finetune: { about: 'scene classification from a pretrained or random encoder', load: () => import('./commands/finetune.js') },
  evaluate: { about: 'metrics overall and per scene, season or region; predictions CSV', load: () => import('./commands/evaluate.js') },
  export: { about: 'a checkpoint of a run as safetensors (torchvision names) + model card, ONNX and a tfjs model', load: () => import('./commands/export.js') },
  embed: { about: "one patch's pooled features from a run or an exported model", load: () => import('./commands/embed.js') },
  experiment: { about: "the research's tables, one per aug set: rows x s1, s2, s1/s2, lr chosen on validation", load: () => import('./commands/experiment.js') },
};

function help(): string {
  return [
    'usage: sen12ms-studio <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.about}`),
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
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`sen12ms-studio: unknown command "${name}"\n${help()}\n`);
    return 2;
  }
  const cmd = await entry.load();
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
