// Renders a kustomization (k8s/overlays/dev, k8s/overlays/prod): `kubectl kustomize` when a kubectl
// with kustomize v4+ is installed, else the documented fallback (kustomize-lite.ts). CLI:
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/deploy-e2e/k8s-render/render-k8s.ts k8s/overlays/dev
import { execFileSync } from 'node:child_process';
import { parseAllDocuments, stringify } from 'yaml';
import { kustomizeBuild, type K8sObject } from './kustomize-lite';

export interface Rendered {
  renderer: 'kubectl' | 'fallback';
  objects: K8sObject[];
}

/** The kustomize version inside kubectl (e.g. "v5.5.0"), or undefined without a usable kubectl. */
export function kubectlKustomizeVersion(): string | undefined {
  // CS_K8S_RENDERER=fallback forces the fallback (to check it where kubectl is installed).
  if (process.env.CS_K8S_RENDERER === 'fallback') return undefined;
  try {
    const out = execFileSync('kubectl', ['version', '--client', '-o', 'json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const version = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
    return version && Number(/^v?(\d+)/.exec(version)?.[1]) >= 4 ? version : undefined;
  } catch {
    return undefined;
  }
}

export function renderWithKubectl(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as K8sObject)
    .filter(Boolean);
}

export function render(dir: string): Rendered {
  return kubectlKustomizeVersion()
    ? { renderer: 'kubectl', objects: renderWithKubectl(dir) }
    : { renderer: 'fallback', objects: kustomizeBuild(dir) };
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: render-k8s.ts <kustomization dir>\n');
    process.exit(2);
  }
  const { renderer, objects } = render(dir);
  process.stderr.write(`rendered ${objects.length} objects with ${renderer}\n`);
  process.stdout.write(objects.map((o) => stringify(o)).join('---\n'));
}
