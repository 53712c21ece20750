/**
 * Child process for the concurrent-migration test: waits (spinning, not sleeping, so every
 * child leaves the gate within microseconds of the others) until the given epoch milliseconds,
 * then opens DATABASE_PATH the way every worker does, and exits 0 or prints the error and exits 1.
 * Usage: node --import tsx open-database-at.ts <path> <epochMs>
 */
import { closeDatabase, openDatabase } from '../../db/client.ts';

const [path, at] = process.argv.slice(2);
const gate = Number(at);
while (Date.now() < gate) {
  // spin: the race needs the opens to overlap
}
try {
  closeDatabase(openDatabase(path!));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
