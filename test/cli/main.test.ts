import { describe, expect, it } from 'vitest';
import { runCli } from './capture.js';

const COMMANDS = ['start', 'index', 'catalog', 'synth', 'doctor', 'pretrain', 'finetune', 'evaluate', 'export', 'embed', 'experiment', 'serve'];

describe('sen12ms-studio', () => {
  it('--help lists every command with a line about it', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${c}\\s+\\S`, 'm'));
  });

  it('shows each command its usage on --help, and refuses no command or an unknown one', async () => {
    for (const c of COMMANDS) {
      const { code, stdout } = await runCli([c, '--help']);
      expect(code, c).toBe(0);
      expect(stdout, c).toContain(`sen12ms-studio ${c}`);
    }
    expect((await runCli([])).code).toBe(2);
    const unknown = await runCli(['train']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "train"');
  });
});
