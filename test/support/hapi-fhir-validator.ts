import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheRoot, findRepoRoot } from '../../libs/infra/src/paths';
import { runTool, ToolchainError } from '../../libs/infra/src/toolchain';

/** One finding of HAPI FHIR's validator about one resource. */
export interface FhirFinding {
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'INFORMATION';
  location: string;
  messageId: string;
  message: string;
}

interface Validator {
  classpath: string;
  /** user.home of the validator's JVM: its package cache (~/.fhir/packages) holds the R4 core, made from HAPI's own copy. */
  home: string;
  settings: string;
  source: string;
}

let prepared: Promise<Validator> | undefined;

/**
 * HAPI FHIR's validator (test/fhir-validator), its jars resolved once with Maven from Maven Central
 * and cached in ~/.cache/crc-network by the hash of its pom and program, then reused.
 */
function prepare(log: (line: string) => void): Promise<Validator> {
  prepared ??= (async () => {
    const repoRoot = findRepoRoot(__dirname);
    const pom = path.join(repoRoot, 'test/fhir-validator/pom.xml');
    const source = path.join(repoRoot, 'test/fhir-validator/FhirValidate.java');
    const hash = createHash('sha256').update(fs.readFileSync(pom)).update(fs.readFileSync(source)).digest('hex').slice(0, 16);
    const dir = path.join(cacheRoot(process.env), 'hapi-fhir-validator-8.8.0', hash);
    const files = { classpath: path.join(dir, 'classpath.txt'), home: path.join(dir, 'home'), settings: path.join(dir, 'fhir-settings.json') };
    if (!fs.existsSync(path.join(dir, 'complete'))) {
      const staging = `${dir}.${process.pid}.tmp`;
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(staging, { recursive: true });
      log('HAPI FHIR validator 8.8.0: resolving it with Maven (first run only; about 30 s)...');
      const resolved = await runTool('mvn', ['-B', '-q', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${path.join(staging, 'classpath.txt')}`], {
        cwd: path.dirname(pom),
      }).catch((error: Error) => {
        throw new ToolchainError(`The FHIR validation needs Maven ("mvn" on PATH) once, which failed to run: ${error.message}`);
      });
      if (resolved.code !== 0) throw new Error(`Maven could not resolve HAPI FHIR's validator (exit ${resolved.code}):\n${resolved.tail.join('\n')}`);
      const classpath = fs.readFileSync(path.join(staging, 'classpath.txt'), 'utf8').trim();
      const made = await runTool('java', ['-cp', classpath, source, 'make-core-package', path.join(staging, 'home')]);
      if (made.code !== 0) throw new Error(`Preparing the R4 core package failed (exit ${made.code}):\n${made.tail.join('\n')}`);
      // No download of anything, no terminology server: every code is checked against the loaded code systems.
      fs.writeFileSync(
        path.join(staging, 'fhir-settings.json'),
        `${JSON.stringify({ prohibitNetworkAccess: true, ignoreDefaultPackageServers: true, servers: [] })}\n`,
      );
      fs.writeFileSync(path.join(staging, 'complete'), `${new Date().toISOString()}\n`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.renameSync(staging, dir);
      log(`HAPI FHIR validator: cached in ${dir}`);
    }
    return { classpath: fs.readFileSync(files.classpath, 'utf8').trim(), home: files.home, settings: files.settings, source };
  })();
  prepared.catch(() => (prepared = undefined));
  return prepared;
}

/**
 * Validates FHIR R4 resources with HAPI FHIR's validator (8.8), offline, the given definitions
 * (CodeSystem, ValueSet, StructureDefinition) loaded beside HL7's. Returns the findings of each
 * resource, in order. One JVM per call (about 30 s on two cores): batch the resources.
 */
export async function validateWithHapi(definitions: object[], resources: object[], log: (line: string) => void = () => {}): Promise<FhirFinding[][]> {
  const validator = await prepare(log);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crc-fhir-validate-'));
  try {
    const write = (name: string, items: object[]) => {
      const file = path.join(work, name);
      fs.writeFileSync(file, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
      return file;
    };
    const result = await runTool('java', [
      `-Duser.home=${validator.home}`,
      '-cp',
      validator.classpath,
      validator.source,
      'validate',
      validator.settings,
      write('definitions.ndjson', definitions),
      write('resources.ndjson', resources),
    ]);
    if (result.code !== 0) throw new Error(`HAPI FHIR's validator failed (exit ${result.code}):\n${result.tail.join('\n')}`);
    const findings: FhirFinding[][] = resources.map(() => []);
    for (const line of result.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const { index, ...finding } = JSON.parse(line) as FhirFinding & { index: number };
      findings[index].push(finding);
    }
    return findings;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
