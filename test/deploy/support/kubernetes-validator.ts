import { join } from 'node:path';
import ts from 'typescript';

/**
 * Where an object's kind lives in `kubernetes-models`: `<apiVersion>/<kind>` (`apps/v1/Deployment`,
 * `v1/Service`); the Prometheus Operator's kinds in the same family's package for its CRDs.
 */
function modelPath(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const OBJECT_META = '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** A kubernetes-models validation error carries Ajv's errors. */
function ajvProblems(error: unknown): string[] {
  const errors = (error as { errors?: Array<{ instancePath: string; message?: string; params?: unknown }> }).errors;
  if (!errors) return [`/: ${(error as Error).message}`];
  return errors.map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/**
 * Validates Kubernetes objects offline against the API schemas `kubernetes-models` is generated
 * from: types, required fields, formats and enums by its validators (Ajv), and, like
 * `kubectl apply --validate=strict`, unknown fields (a misspelled `readinessProbe` would otherwise
 * be dropped without a word) by walking each object alongside the package's TypeScript types.
 */
export class KubernetesValidator {
  private readonly checker: ts.TypeChecker;
  private readonly types = new Map<string, ts.Type>();

  /** `kinds`: `apiVersion/kind` pairs to load types for (one compiler program for all). */
  constructor(kinds: Array<{ apiVersion: string; kind: string }>, rootDir: string) {
    const unique = [...new Map(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k])).values()];
    const entry = join(rootDir, '__kubernetes_kinds__.ts');
    const source = [
      `import type { IObjectMeta } from '${OBJECT_META}';\nexport type Meta = IObjectMeta;`,
      ...unique.map((k, i) => `import type { I${k.kind} as T${i} } from '${modelPath(k.apiVersion, k.kind)}';\nexport type K${i} = T${i};`),
    ].join('\n');
    const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, moduleResolution: ts.ModuleResolutionKind.Node10, types: [] };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (file) => (file === entry ? source : readFile(file));
    host.fileExists = (
      (exists) => (file: string) =>
        file === entry || exists(file)
    )(host.fileExists.bind(host));
    host.getSourceFile = (file, language) => (file === entry ? ts.createSourceFile(file, source, language) : getSourceFile(file, language));
    const program = ts.createProgram([entry], options, host);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    if (problems.length > 0) throw new Error(`kubernetes-models has no type for some kinds:\n${problems.join('\n')}`);
    this.checker = program.getTypeChecker();
    const module = this.checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const exported = (name: string) => this.checker.getDeclaredTypeOfSymbol(this.checker.getExportsOfModule(module).find((s) => s.name === name)!);
    unique.forEach((k, i) => this.types.set(`${k.apiVersion}/${k.kind}`, exported(`K${i}`)));
    this.metadataType = exported('Meta');
  }

  private readonly metadataType: ts.Type;

  /** The metadata of any object, custom resources' included (their CRDs leave it open). */
  validateMetadata(metadata: unknown): string[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ObjectMeta } = require(OBJECT_META) as { ObjectMeta: new (data: unknown) => { validate(): void } };
    const problems: string[] = [];
    try {
      new ObjectMeta(metadata).validate();
    } catch (error) {
      problems.push(...ajvProblems(error).map((p) => `/metadata${p}`));
    }
    return [...problems, ...this.unknownFields(metadata, this.metadataType, 'metadata')];
  }

  /** Every problem with the object, each with its field path; empty when it is valid. */
  validate(object: KubernetesObject): string[] {
    const type = this.types.get(`${object.apiVersion}/${object.kind}`);
    if (!type) return [`no schema loaded for ${object.apiVersion} ${object.kind}`];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const model = require(modelPath(object.apiVersion, object.kind)) as Record<string, new (data: unknown) => { validate(): void }>;
    const problems: string[] = [];
    try {
      new model[object.kind](object).validate();
    } catch (error) {
      problems.push(...ajvProblems(error));
    }
    problems.push(...this.unknownFields(object, type, ''));
    return problems;
  }

  /** Fields of `value` that its type does not declare. */
  unknownFields(value: unknown, type: ts.Type, path: string): string[] {
    if (value === null || typeof value !== 'object') return [];
    const declared = this.checker.getNonNullableType(type);
    if (declared.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
    if (Array.isArray(value)) {
      const element = this.checker.getIndexTypeOfType(declared, ts.IndexKind.Number);
      return element ? value.flatMap((item, i) => this.unknownFields(item, element, `${path}[${i}]`)) : [];
    }
    // A union of object types (rare in the API): the member that fits best.
    if (declared.isUnion()) {
      const candidates = declared.types.filter((t) => t.flags & ts.TypeFlags.Object).map((t) => this.unknownFields(value, t, path));
      return candidates.length === 0 ? [] : candidates.reduce((best, c) => (c.length < best.length ? c : best));
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
      const at = path ? `${path}.${key}` : key;
      const property = this.checker.getPropertyOfType(declared, key);
      if (property) return this.unknownFields(child, this.checker.getTypeOfSymbol(property), at);
      const indexed = this.checker.getIndexTypeOfType(declared, ts.IndexKind.String);
      return indexed ? this.unknownFields(child, indexed, at) : [`${at}: unknown field "${key}"`];
    });
  }
}
