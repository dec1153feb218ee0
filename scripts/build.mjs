// Builds every app and lib to dist/ with SWC (decorator metadata included, for Nest's DI).
// apps/<app>/src/** -> dist/apps/<app>/**, libs/<lib>/src/** -> dist/libs/<lib>/**.
// Imports of @cairn/<name> are rewritten to relative paths, so dist/ runs with plain `node`.
// Type checking is separate (`npm run typecheck`); this stays fast enough for `npm start`.
import { transformFile } from '@swc/core';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const quiet = process.argv.includes('--quiet');
const tsconfig = JSON.parse(await readFile(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([name, [entry]]) => [name, outPathOf(path.join(root, entry))]),
);

function outPathOf(srcFile) {
  const rel = path.relative(root, srcFile).split(path.sep);
  // [apps|libs, name, 'src', ...rest]
  return path.join(dist, rel[0], rel[1], ...rel.slice(3)).replace(/\.ts$/, '.js');
}

async function* sources(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

async function projectSources() {
  const files = [];
  for (const kind of ['apps', 'libs']) {
    const kindDir = path.join(root, kind);
    for (const name of await readdir(kindDir).catch(() => [])) {
      const src = path.join(kindDir, name, 'src');
      if (await stat(src).then((s) => s.isDirectory(), () => false)) {
        for await (const f of sources(src)) files.push(f);
      }
    }
  }
  return files;
}

function rewriteAliases(code, outFile) {
  return code.replace(/require\("(@cairn\/[a-z-]+)"\)/g, (match, name) => {
    const target = aliases[name];
    if (!target) throw new Error(`${outFile}: unknown alias ${name}`);
    let rel = path.relative(path.dirname(outFile), target).replace(/\.js$/, '');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `require("${rel.split(path.sep).join('/')}")`;
  });
}

// Each output is written beside its target and renamed into place, and outputs whose source is
// gone are pruned afterwards: dist/ never disappears under a test run that is reading it.
async function writeAtomically(file, content) {
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, content);
  await rename(partial, file);
}

async function pruneStale(dir, keep) {
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await pruneStale(full, keep);
    else if (!keep.has(full) && !entry.name.endsWith('.tmp')) await rm(full, { force: true });
  }
}

const started = Date.now();
const files = await projectSources();
const outputs = new Set();
await Promise.all(
  files.map(async (file) => {
    const outFile = outPathOf(file);
    const { code, map } = await transformFile(file, {
      sourceMaps: true,
      module: { type: 'commonjs' },
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        keepClassNames: true,
      },
    });
    await mkdir(path.dirname(outFile), { recursive: true });
    outputs.add(outFile).add(`${outFile}.map`);
    await writeAtomically(outFile, `${rewriteAliases(code, outFile)}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`);
    await writeAtomically(`${outFile}.map`, map);
  }),
);
await pruneStale(dist, outputs);
if (!quiet) console.log(`built ${files.length} files into dist/ in ${Date.now() - started} ms`);
