import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, stage by stage (continuation lines joined, comments dropped). */
function stagesOf(text: string): Instruction[][] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Instruction[][] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/** Bare package names a source file loads at run time (type-only imports are erased by the compiler). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const names = [...source.matchAll(/^import (?!type )[^;]*? from '([^'.][^']*)';/gm), ...source.matchAll(/require\('([^'.][^']*)'\)/g)].map((m) => m[1]);
  return names
    .filter((n) => !n.startsWith('node:') && !n.startsWith('@crc/'))
    .map((n) => (n.startsWith('@') ? n.split('/').slice(0, 2).join('/') : n.split('/')[0]));
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** The Dockerfile, checked without a Docker engine: what the image holds and how it runs. */
describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = stagesOf(text);
  const final = stages[stages.length - 1];
  const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

  it('builds in stages and ships only production dependencies', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(final.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(
      expect.arrayContaining([expect.stringMatching(/--from=dependencies \/app\/node_modules/), expect.stringMatching(/--from=build \/app\/dist/)]),
    );
    expect(final.some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it('runs as a non-root user, by number, with a health check', () => {
    const user = final.filter((i) => i.keyword === 'USER').pop()?.args;
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(final.find((i) => i.keyword === 'HEALTHCHECK')?.args).toMatch(/\/health/);
    expect(final.find((i) => i.keyword === 'CMD')?.args).toBe('["node", "dist/apps/checkin/src/main.js"]');
  });

  it('copies only what exists in the build context and is not ignored', () => {
    const fromContext = stages.flat().filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='));
    for (const copy of fromContext) {
      const sources = copy.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) {
        expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
        expect(dockerignore.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
      }
    }
  });

  it('carries no development credentials nor seed rosters, only the reference data', () => {
    const copied = final
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1),
      );
    expect(copied).toEqual([
      'package.json',
      'deploy/local/seed/centers.json',
      'deploy/local/seed/product-lines.json',
      'deploy/local/seed/x12-834-mapping.json',
    ]);
    // The build stage compiles deploy/local, but only its JavaScript reaches the image.
    expect(final.filter((i) => i.keyword === 'COPY' && i.args.includes('--from=build')).map((i) => i.args)).toEqual(['--from=build /app/dist ./dist']);
  });

  it('has every package the services load at run time among the production dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const sources = [...sourcesUnder(join(ROOT, 'apps')), ...sourcesUnder(join(ROOT, 'libs')), join(ROOT, 'deploy/local/seed-rosters.ts')].filter(
      // Local tooling only: the tests' helpers and the local infrastructure of `npm start`.
      (f) => !/libs\/(testing|infra)\//.test(f),
    );
    const missing = sources.flatMap((file) =>
      runtimeImports(file)
        .filter((name) => !manifest.dependencies[name])
        .map((name) => `${relative(ROOT, file)}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
