/**
 * The bin's module-loader shortcut (bin/package-type-cache.js): relative imports inside installed
 * packages that declare their "type" are answered from a package.json read once per folder, with
 * the URL and format Node itself gives; everything else is left to Node.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the bin, without type declarations
import { installPackageTypeCache, resolveInPackage } from '../../bin/package-type-cache.js';

const HOOK = fileURLToPath(new URL('../../bin/package-type-cache.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ingest-pkgtype-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): string {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  return pathToFileURL(full).href;
}

// An ES-module package with a CommonJS folder inside and a large exports map, a package without
// "type", and one whose package.json is broken.
const esmIndex = write('node_modules/esm-pkg/index.js', "export { b } from './lib/b.js';\nexport { c } from './cjs/c.js';\nimport legacy from './legacy.cjs';\nexport const fromCjs = legacy.value;\n");
write('node_modules/esm-pkg/package.json', JSON.stringify({ name: 'esm-pkg', type: 'module', exports: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`./f${i}`, `./f${i}.js`])) }));
write('node_modules/esm-pkg/lib/b.js', "export const b = 'b';\n");
write('node_modules/esm-pkg/cjs/package.json', JSON.stringify({ type: 'commonjs' }));
write('node_modules/esm-pkg/cjs/c.js', "exports.c = 'c';\n");
write('node_modules/esm-pkg/legacy.cjs', 'module.exports = { value: 42 };\n');
const plainIndex = write('node_modules/plain-pkg/index.js', "module.exports = require('./other.js');\n");
write('node_modules/plain-pkg/package.json', JSON.stringify({ name: 'plain-pkg' }));
write('node_modules/plain-pkg/other.js', 'module.exports = 1;\n');
const brokenIndex = write('node_modules/broken-pkg/index.js', '');
write('node_modules/broken-pkg/package.json', '{ "type": "module", ');
const ownFile = write('src/main.js', '');
// A package.json beside the packages (in node_modules itself) is no package's scope: Node stops there.
write('node_modules/package.json', JSON.stringify({ type: 'module' }));
const looseFile = write('node_modules/loose.js', '');

describe('resolveInPackage', () => {
  it('gives the URL and the format of the package scope: the nearest package.json that declares a type', () => {
    expect(resolveInPackage('./lib/b.js', esmIndex)).toEqual({ url: new URL('./lib/b.js', esmIndex).href, format: 'module' });
    expect(resolveInPackage('./cjs/c.js', esmIndex)).toEqual({ url: new URL('./cjs/c.js', esmIndex).href, format: 'commonjs' });
    expect(resolveInPackage('../index.js', new URL('./lib/b.js', esmIndex).href)).toEqual({ url: esmIndex, format: 'module' });
  });

  it('lets the extension decide for .cjs and .mjs', () => {
    expect(resolveInPackage('./legacy.cjs', esmIndex)).toEqual({ url: new URL('./legacy.cjs', esmIndex).href, format: 'commonjs' });
    expect(resolveInPackage('./x.mjs', plainIndex)).toEqual({ url: new URL('./x.mjs', plainIndex).href, format: 'module' });
  });

  it('leaves to Node what it cannot answer as Node would', () => {
    expect(resolveInPackage('./other.js', plainIndex)).toBeNull(); // no "type": Node detects the syntax
    expect(resolveInPackage('./x.js', brokenIndex)).toBeNull(); // Node reports the broken package.json
    expect(resolveInPackage('esm-pkg', ownFile)).toBeNull(); // bare: "exports" apply
    expect(resolveInPackage('./main.js', ownFile)).toBeNull(); // not an installed package
    expect(resolveInPackage('./lib/b', esmIndex)).toBeNull(); // no extension
    expect(resolveInPackage('./lib/b.js?v=1', esmIndex)).toBeNull();
    expect(resolveInPackage('./lib/b%2Ejs', esmIndex)).toBeNull();
    expect(resolveInPackage('./other.js', looseFile)).toBeNull(); // node_modules/package.json is not read
    expect(resolveInPackage('./lib/b.js', undefined)).toBeNull();
    expect(resolveInPackage('./lib/b.js', 'data:text/javascript,')).toBeNull();
  });
});

describe('installPackageTypeCache', () => {
  it('loads packages through the hooks with the same modules and values', () => {
    const script = `import * as m from 'node:module';
import { installPackageTypeCache } from ${JSON.stringify(pathToFileURL(HOOK).href)};
if (!installPackageTypeCache(m, process.execArgv, process.env)) throw new Error('not installed');
const esm = await import(${JSON.stringify(esmIndex)});
const plain = await import(${JSON.stringify(plainIndex)});
console.log(JSON.stringify({ b: esm.b, c: esm.c, fromCjs: esm.fromCjs, plain: plain.default }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ b: 'b', c: 'c', fromCjs: 42, plain: 1 });
  });

  it('stays out where Node resolves differently or has no synchronous hooks', () => {
    const registered: unknown[] = [];
    const api = { registerHooks: (hooks: unknown) => registered.push(hooks) };
    expect(installPackageTypeCache(api, ['--preserve-symlinks'], {})).toBe(false);
    expect(installPackageTypeCache(api, [], { NODE_OPTIONS: '--preserve-symlinks' })).toBe(false);
    expect(installPackageTypeCache(api, [], { NODE_PRESERVE_SYMLINKS: '1' })).toBe(false);
    expect(installPackageTypeCache({}, [], {})).toBe(false);
    expect(registered).toEqual([]);
    expect(installPackageTypeCache(api, [], {})).toBe(true);
    expect(registered).toHaveLength(1);
  });
});
