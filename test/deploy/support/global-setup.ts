import { cacheRoot, findRepoRoot } from '../../../libs/infra/src/paths';
import { ensureKustomize, ensureRedocly, ensureSpectral, ensureStrimziCrds } from './deploy-tools';

/** Prepares the tools once for all deployment checks; the test files find them through the environment. */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[deploy] ${line}\n`);
  const cache = cacheRoot(process.env);
  const repoRoot = findRepoRoot(__dirname);
  const [kustomize, strimziCrds, spectral, redocly] = await Promise.all([
    ensureKustomize(cache, log),
    ensureStrimziCrds(repoRoot, cache, log),
    ensureSpectral(repoRoot, cache, log),
    ensureRedocly(repoRoot, cache, log),
  ]);
  process.env.CRC_KUSTOMIZE = kustomize;
  process.env.CRC_STRIMZI_CRDS = strimziCrds;
  process.env.CRC_SPECTRAL = spectral;
  process.env.CRC_REDOCLY = redocly;
}
