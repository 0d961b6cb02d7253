// A small stand-in for `kubectl kustomize`, for machines without kubectl (CI reaches only the npm
// registry and Debian, whose kubectl 1.20 carries a kustomize too old for these files). It applies
// exactly the subset of kustomize that k8s/ uses and refuses anything else, so it cannot render a
// file differently without saying so:
//   resources (files and directories with a kustomization.yaml), namespace, labels (pairs with
//   includeSelectors: false), images (newName, newTag, digest), patches (strategic merge, by kind
//   and name), configMapGenerator / secretGenerator (literals, files) with
//   generatorOptions.disableNameSuffixHash: true.
// When kubectl is present, apps/deploy-e2e checks that both render the same objects.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> } & Record<string, unknown>;
};

interface LabelEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}
interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}
interface GeneratorEntry {
  name: string;
  literals?: string[];
  files?: string[];
  type?: string;
}
interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  patches?: { path?: string; patch?: string }[];
  labels?: LabelEntry[];
  images?: ImageEntry[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  configMapGenerator?: GeneratorEntry[];
  secretGenerator?: GeneratorEntry[];
}

const SUPPORTED_KEYS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'patches',
  'labels',
  'images',
  'generatorOptions',
  'configMapGenerator',
  'secretGenerator',
]);

/** Kinds without a namespace (the ones k8s/ could plausibly contain). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
  'PriorityClass',
]);

/** Where pod templates live, per kind (labels with includeTemplates, and images). */
const TEMPLATE_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'template']],
  StatefulSet: [['spec', 'template']],
  DaemonSet: [['spec', 'template']],
  ReplicaSet: [['spec', 'template']],
  Job: [['spec', 'template']],
  CronJob: [
    ['spec', 'jobTemplate'],
    ['spec', 'jobTemplate', 'spec', 'template'],
  ],
};

/** List fields merged by a key in a strategic merge patch (the ones k8s/ patches touch). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  volumeClaimTemplates: 'metadata.name',
};

/** Renders the kustomization in `dir` into its list of objects. */
export function kustomizeBuild(dir: string): K8sObject[] {
  const root = resolve(dir);
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
    .map((name) => join(root, name))
    .find((path) => existsSync(path));
  if (!file) throw new Error(`${root}: no kustomization.yaml`);
  const k = parseYamlDocs(readFileSync(file, 'utf8'), file)[0] as Kustomization;
  for (const key of Object.keys(k)) {
    if (!SUPPORTED_KEYS.has(key))
      throw new Error(`${file}: '${key}' is not supported by the fallback renderer`);
  }

  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = join(root, entry);
    objects.push(...(statSync(path).isDirectory() ? kustomizeBuild(path) : readObjects(path)));
  }
  objects.push(...generate(k, root));

  for (const patch of k.patches ?? []) {
    const text = patch.path ? readFileSync(join(root, patch.path), 'utf8') : patch.patch;
    if (!text) throw new Error(`${file}: a patch needs a path or an inline patch`);
    for (const doc of parseYamlDocs(text, patch.path ?? 'inline patch') as K8sObject[]) {
      objects = applyPatch(objects, doc, file);
    }
  }
  if (k.namespace) {
    for (const object of objects) {
      if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = k.namespace;
    }
  }
  for (const entry of k.labels ?? []) {
    if (entry.includeSelectors) throw new Error(`${file}: labels.includeSelectors is not supported`);
    for (const object of objects) addLabels(object, entry);
  }
  for (const image of k.images ?? []) {
    for (const object of objects) setImages(object, image);
  }
  return objects;
}

function readObjects(path: string): K8sObject[] {
  return parseYamlDocs(readFileSync(path, 'utf8'), path) as K8sObject[];
}

function parseYamlDocs(text: string, source: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0].message}`);
      return doc.toJS() as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

function generate(k: Kustomization, root: string): K8sObject[] {
  const generators = [
    ...(k.configMapGenerator ?? []).map((g) => ({ g, kind: 'ConfigMap' as const })),
    ...(k.secretGenerator ?? []).map((g) => ({ g, kind: 'Secret' as const })),
  ];
  if (generators.length && k.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error('the fallback renderer needs generatorOptions.disableNameSuffixHash: true');
  }
  return generators.map(({ g, kind }) => {
    const data: Record<string, string> = {};
    for (const literal of g.literals ?? []) {
      const at = literal.indexOf('=');
      data[literal.slice(0, at)] = literal.slice(at + 1);
    }
    for (const file of g.files ?? []) data[basename(file)] = readFileSync(join(root, file), 'utf8');
    if (kind === 'ConfigMap') return { apiVersion: 'v1', kind, metadata: { name: g.name }, data };
    const encoded = Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    );
    return { apiVersion: 'v1', kind, metadata: { name: g.name }, type: g.type ?? 'Opaque', data: encoded };
  });
}

function applyPatch(objects: K8sObject[], patch: K8sObject, file: string): K8sObject[] {
  const index = objects.findIndex(
    (o) =>
      o.kind === patch.kind &&
      o.metadata.name === patch.metadata?.name &&
      (patch.metadata.namespace === undefined || o.metadata.namespace === patch.metadata.namespace),
  );
  if (index < 0)
    throw new Error(`${file}: the patch's target ${patch.kind}/${patch.metadata?.name} is missing`);
  const merged = strategicMerge(objects[index], patch, '') as K8sObject;
  return objects.map((o, i) => (i === index ? merged : o));
}

/** Strategic merge for the shapes k8s/ patches: maps merge, keyed lists merge by key, other lists replace. */
function strategicMerge(target: unknown, patch: unknown, field: string): unknown {
  if (patch === null) return undefined;
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[field];
    if (!key || !Array.isArray(target)) return structuredClone(patch);
    const result = [...target];
    for (const item of patch) {
      const at = result.findIndex((existing) => keyOf(existing, key) === keyOf(item, key));
      if (at < 0) result.push(structuredClone(item));
      else result[at] = strategicMerge(result[at], item, '');
    }
    return result;
  }
  if (isObject(patch)) {
    const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
    for (const [name, value] of Object.entries(patch)) {
      const merged = strategicMerge(result[name], value, name);
      if (merged === undefined) delete result[name];
      else result[name] = merged;
    }
    return result;
  }
  return patch;
}

function keyOf(item: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((value, part) => (isObject(value) ? value[part] : undefined), item);
}

function addLabels(object: K8sObject, entry: LabelEntry): void {
  object.metadata.labels = { ...object.metadata.labels, ...entry.pairs };
  if (!entry.includeTemplates) return;
  for (const path of TEMPLATE_PATHS[object.kind] ?? []) {
    const template = at(object, path);
    if (!template) continue;
    const metadata = (template.metadata ??= {}) as Record<string, unknown>;
    metadata.labels = { ...(metadata.labels as Record<string, string>), ...entry.pairs };
  }
  if (object.kind !== 'StatefulSet') return;
  // kustomize labels a StatefulSet's volume claim templates too.
  for (const claim of (at(object, ['spec'])?.volumeClaimTemplates as Record<string, unknown>[] | undefined) ??
    []) {
    const metadata = (claim.metadata ??= {}) as Record<string, unknown>;
    metadata.labels = { ...(metadata.labels as Record<string, string>), ...entry.pairs };
  }
}

function setImages(object: K8sObject, entry: ImageEntry): void {
  const podSpecPaths = (TEMPLATE_PATHS[object.kind] ?? []).map((path) => [...path, 'spec']);
  if (object.kind === 'Pod') podSpecPaths.push(['spec']);
  for (const path of podSpecPaths) {
    const spec = at(object, path);
    if (!spec) continue;
    for (const list of ['initContainers', 'containers']) {
      for (const container of (spec[list] as Record<string, unknown>[] | undefined) ?? []) {
        const image = String(container.image);
        if (imageName(image) !== entry.name) continue;
        const name = entry.newName ?? entry.name;
        const current = image.slice(imageName(image).length);
        container.image = entry.digest
          ? `${name}@${entry.digest}`
          : entry.newTag
            ? `${name}:${entry.newTag}`
            : `${name}${current}`;
      }
    }
  }
}

/** The image without its tag or digest (a registry port is not a tag). */
function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

function at(object: unknown, path: string[]): Record<string, unknown> | undefined {
  let value = object;
  for (const part of path) value = isObject(value) ? value[part] : undefined;
  return isObject(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
