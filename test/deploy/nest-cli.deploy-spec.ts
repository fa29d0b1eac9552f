import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** nest-cli.json describes the monorepo as it is: one project per folder of apps/ and libs/, named after it. */
describe('nest-cli.json', () => {
  const root = join(__dirname, '..', '..');
  const cli = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')) as {
    compilerOptions: { tsConfigPath: string };
    projects: Record<string, { type: 'application' | 'library'; root: string; sourceRoot: string; entryFile: string }>;
  };
  const folders = (parent: string) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);

  it.each([
    ['application', 'apps'],
    ['library', 'libs'],
  ] as const)('has one %s per folder of %s/, each project named after its folder', (type, parent) => {
    const listed = Object.entries(cli.projects).filter(([, p]) => p.type === type);
    expect(listed.map(([, p]) => p.root).sort()).toEqual(
      folders(parent)
        .map((f) => `${parent}/${f}`)
        .sort(),
    );
    // Names are unique across the file: a library sharing its application's name takes "-lib".
    for (const [name, project] of listed) expect([project.root.slice(parent.length + 1), `${project.root.slice(parent.length + 1)}-lib`]).toContain(name);
  });

  it('points every project at an entry file that exists, and at the build configuration in use', () => {
    for (const [name, project] of Object.entries(cli.projects)) {
      expect({ name, entry: existsSync(join(root, project.sourceRoot, `${project.entryFile}.ts`)) }).toEqual({ name, entry: true });
    }
    const build = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.build as string;
    expect(build).toContain(`-p ${cli.compilerOptions.tsConfigPath}`);
  });
});
