// A start-up shortcut for the module loader, installed by bin/ingest.js before the CLI loads.
//
// Node 22 and 24 read the nearest package.json again for every module file they resolve and
// load, to learn its "type", and rebuild the whole file's fields each time, "exports" included
// (nodejs/node#58126, #60397). drizzle-orm ships a 179 KB package.json with an export for every
// file, and about 110 of its modules load in a store worker: `import('drizzle-orm/better-sqlite3')`
// took 545 ms here, 55 ms with this cache, and the store role's start-up was 1.6 s of which
// about 0.5 s was this.
//
// The cache answers only what it can answer exactly as Node would: a relative specifier ending
// in .js, .mjs or .cjs, imported by a module inside node_modules, whose package scope declares
// its "type" (or whose extension fixes the format). That is the resolved URL (relative to its
// importer) and the format, from a package.json read once per folder. Everything else (bare
// specifiers and their "exports", packages without a "type", where Node detects the syntax,
// our own files) goes to Node's resolver untouched. A missing file still fails, at load. The
// format given with the URL is what spares the load step its own package.json read.

import { readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Extensions whose format the package scope decides (.js) or the extension itself does. */
const EXTENSION_FORMATS = { '.mjs': 'module', '.cjs': 'commonjs' };
const NODE_MODULES_SEGMENT = `${sep}node_modules${sep}`;

/**
 * Folder → the "type" of the package scope it is in ('module', 'commonjs', or null when the scope
 * declares none or has no package.json): filled as folders are met, one read per package.json.
 * @type {Map<string, 'module' | 'commonjs' | null>}
 */
const scopeTypes = new Map();

/**
 * The declared "type" of the package scope of a folder, as Node finds it: the nearest
 * package.json up the tree, not looking past a node_modules folder.
 *
 * @param {string} folder
 * @returns {'module' | 'commonjs' | null}
 */
export function scopeTypeOf(folder) {
  const cached = scopeTypes.get(folder);
  if (cached !== undefined) return cached;
  const type = folder.endsWith(`${sep}node_modules`) ? null : readScopeType(folder);
  scopeTypes.set(folder, type);
  return type;
}

/**
 * The declared "type" of the folder's package.json, or, without one, of its parent's scope.
 *
 * @param {string} folder
 * @returns {'module' | 'commonjs' | null}
 */
function readScopeType(folder) {
  let text;
  try {
    text = readFileSync(join(folder, 'package.json'), 'utf8');
  } catch {
    const parent = dirname(folder);
    return parent === folder ? null : scopeTypeOf(parent);
  }
  try {
    const declared = JSON.parse(text).type;
    return declared === 'module' || declared === 'commonjs' ? declared : null;
  } catch {
    return null; // Node reports a broken package.json itself: leave the file to it
  }
}

/**
 * The URL and format of a relative import inside an installed package, or null for Node's own
 * resolver to answer.
 *
 * @param {string} specifier
 * @param {string | undefined} parentURL
 * @returns {{ url: string, format: 'module' | 'commonjs' } | null}
 */
export function resolveInPackage(specifier, parentURL) {
  if (parentURL === undefined || !parentURL.startsWith('file:')) return null;
  if (!(specifier.startsWith('./') || specifier.startsWith('../'))) return null;
  const extension = /\.[cm]?js$/.exec(specifier)?.[0];
  if (extension === undefined || specifier.includes('?') || specifier.includes('#') || specifier.includes('%')) return null;
  const url = new URL(specifier, parentURL);
  const path = fileURLToPath(url);
  if (!fileURLToPath(parentURL).includes(NODE_MODULES_SEGMENT) || !path.includes(NODE_MODULES_SEGMENT)) return null;
  const format = EXTENSION_FORMATS[/** @type {'.mjs' | '.cjs'} */ (extension)] ?? scopeTypeOf(dirname(path));
  if (format === null || format === undefined) return null;
  return { url: pathToFileURL(path).href, format };
}

/**
 * Installs the shortcut ({@link resolveInPackage}) as synchronous module hooks, where this Node
 * has them (module.registerHooks, Node 22.15+) and the user did not ask to keep symlinked paths
 * (Node then resolves differently). Returns whether it did.
 *
 * @param {{ registerHooks?: Function }} moduleApi node:module
 * @param {readonly string[]} execArgv process.execArgv
 * @param {NodeJS.ProcessEnv} env process.env (NODE_OPTIONS, NODE_PRESERVE_SYMLINKS)
 * @returns {boolean}
 */
export function installPackageTypeCache(moduleApi, execArgv, env) {
  if (typeof moduleApi.registerHooks !== 'function') return false;
  const preservesSymlinks = [...execArgv, env.NODE_OPTIONS ?? ''].some((option) => option.includes('--preserve-symlinks')) || env.NODE_PRESERVE_SYMLINKS === '1';
  if (preservesSymlinks) return false;
  moduleApi.registerHooks({
    resolve(specifier, context, nextResolve) {
      const known = resolveInPackage(specifier, context.parentURL);
      return known === null ? nextResolve(specifier, context) : { ...known, shortCircuit: true };
    },
  });
  return true;
}
