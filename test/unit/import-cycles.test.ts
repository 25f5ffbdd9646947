import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph, modulesUnder } from '../../tools/import-cycles.js';

/** A package of its own, resolved like ours: NodeNext, a `#src/*` alias, `.js` naming the `.ts` file. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', imports: { '#src/*': './src/*' } }));
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true } }),
  );
  mkdirSync(join(root, 'src'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text);
  return root;
}
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const cyclesOf = (root: string) => importCycles(importGraph(modulesUnder(join(root, 'src'))));

/** a → b (alias) → c (re-export) → d (type import) → a (dynamic import); e imports a and a stylesheet, on no cycle. */
const loop = {
  'a.ts': "import { b } from '#src/b.js';\nexport const a = b;\n",
  'b.ts': "export { c as b } from './c.js';\n",
  'c.ts': "import type { D } from './d.js';\nexport const c: D = 1;\n",
  'd.ts': "export type D = number;\nexport const load = () => import('./a.js');\n",
  'e.ts': "import './style.css';\nimport { a } from './a.js';\nexport const e = a;\n",
};

describe('import cycles', () => {
  it('finds a cycle through an alias, a re-export, a type import and a dynamic import', () => {
    const root = project(loop);
    const src = (name: string) => join(root, 'src', name);
    expect(cyclesOf(root)).toEqual([[src('a.ts'), src('b.ts'), src('c.ts'), src('d.ts'), src('a.ts')]]);
  });

  it('finds none once one step of the loop is gone', () => {
    expect(cyclesOf(project({ ...loop, 'd.ts': 'export type D = number;\n' }))).toEqual([]);
  });

  it('finds a module that imports itself', () => {
    const root = project({ 'f.ts': "import type { F } from './f.js';\nexport type G = F;\nexport type F = string;\n" });
    expect(cyclesOf(root)).toEqual([[join(root, 'src', 'f.ts'), join(root, 'src', 'f.ts')]]);
  });

  it('refuses an import it cannot resolve rather than miss a cycle through it', () => {
    const root = project({ 'g.ts': "export { h } from './missing.js';\n" });
    expect(() => cyclesOf(root)).toThrow(/cannot resolve the import '\.\/missing\.js'/);
  });
});
