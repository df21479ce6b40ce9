// Applies annotation edits until killed, printing `ack <i>` once apply() has returned (tests only).
import { Annotations } from '../../../core/app-db/annotations.js';
import { openAppDb } from '../../../core/app-db/schema.js';

const [file, start] = process.argv.slice(2);
const annotations = new Annotations(openAppDb(file), '/data/sen12ms');
for (let i = Number(start); ; i++) {
  annotations.apply({ kind: 'patch', patch: `ROIs1158_spring_124_p${i % 7}`, set: { note: `edit-${i}` } });
  process.stdout.write(`ack ${i}\n`);
}
