/**
 * The data set the app opens at start: the one named on the command line, else the one opened
 * last, else the embedded sample. A last data set that can no longer be opened (folder moved,
 * disk unplugged) falls back to the sample rather than leaving the app empty.
 */
import type { Result } from '../common/api/contract.js';
import type { ServiceHost } from './service-host.js';
import { errorData } from '../common/api/service-error.js';

type Opened = Result<'datasets.open'>;

export async function openStartDataset(host: ServiceHost, dir: string | undefined, warn: (message: string) => void): Promise<Opened> {
  if (dir !== undefined) return (await host.call('datasets.open', { dir })) as Opened;
  const { lastDataset } = (await host.call('settings.get', {})) as Result<'settings.get'>;
  if (lastDataset !== null) {
    try {
      return (await host.call('datasets.open', { dir: lastDataset })) as Opened;
    } catch (err) {
      warn(`cannot reopen the last data set ${lastDataset} (${errorData(err).message}); opening the embedded sample`);
    }
  }
  return (await host.call('datasets.openSample', {})) as Opened;
}
