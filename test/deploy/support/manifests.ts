import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from './kubernetes-validator';

/** `kustomize build <dir>`: the objects a `kubectl apply -k <dir>` would send. */
export function renderKustomization(dir: string): KubernetesObject[] {
  const kustomize = process.env.CRC_KUSTOMIZE;
  if (!kustomize) throw new Error("CRC_KUSTOMIZE is not set (the deploy tests' global setup does this)");
  const result = spawnSync(kustomize, ['build', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`kustomize build ${dir} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as KubernetesObject)
    .filter(Boolean);
}

/** An overlay with components added, as an environment would compose them (kustomize wants relative paths). */
export function renderWithComponents(overlay: string, components: string[]): KubernetesObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'crc-kustomization-'));
  try {
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: [relative(dir, overlay)],
      components: components.map((c) => relative(dir, c)),
    };
    writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify(kustomization));
    return renderKustomization(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const isStrimzi = (object: { apiVersion: string }) => object.apiVersion.startsWith('kafka.strimzi.io/');
