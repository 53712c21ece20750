import { resolve } from 'node:path';

/**
 * The shared data folder beside the project (`../shared` from its root). The benchmarks run
 * from the project root (npm run sets the working directory), compiled into dist/ or not, so
 * the path is taken from there; SHARED_DIR overrides it.
 */
export const SHARED_DIR = resolve(process.env['SHARED_DIR'] ?? resolve(process.cwd(), '../shared'));
