// Runs the CLI in a child process from the TypeScript sources (tests only), so a test can kill it.
import { main } from '../../../core/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
