import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { kustomizeBuild, type K8sObject } from '../k8s-render/kustomize-lite';
import { kubectlKustomizeVersion, render, renderWithKubectl } from '../k8s-render/render-k8s';
import { knownEnvNames, ROOT } from './support/env-names';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered manifests are untyped JSON */
type Obj = K8sObject & { spec?: any; data?: Record<string, string> };

const APPS = ['gateway', 'gms', 'ucs'] as const;
const OVERLAYS = ['dev', 'prod'] as const;
const LABEL_KEYS = ['name', 'instance', 'component', 'part-of', 'version', 'managed-by'].map(
  (key) => `app.kubernetes.io/${key}`,
);
const kubectl = kubectlKustomizeVersion();

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: K8sObject[]) => new Map(objects.map((o) => [key(o), o]));
const golden = (overlay: string): K8sObject[] =>
  parseAllDocuments(readFileSync(join(__dirname, 'golden', `${overlay}.yaml`), 'utf8'))
    .map((doc) => doc.toJS() as K8sObject)
    .filter(Boolean);

function validate(objects: unknown[]): { id: string; error: string }[] {
  const run = spawnSync(process.execPath, [join(ROOT, 'apps/deploy-e2e/k8s-render/validate-k8s.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(objects),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`validate-k8s.mjs failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { id: string; error: string }[];
}

describe('k8s manifests render identically with kubectl and the fallback (ARCHITECTURE §2 k8s/)', () => {
  it.each(OVERLAYS)(
    'the fallback renderer gives the objects real kustomize gave (golden/%s.yaml)',
    (overlay) => {
      const fallback = byKey(kustomizeBuild(join(ROOT, 'k8s/overlays', overlay)));
      const expected = byKey(golden(overlay));
      expect([...fallback.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [id, object] of expected) expect({ id, object: fallback.get(id) }).toEqual({ id, object });
    },
  );

  it.each(OVERLAYS)(
    `the golden file is what this machine's renderer (${kubectl ? `kubectl, kustomize ${kubectl}` : 'fallback'}) gives for %s`,
    (overlay) => {
      const objects = kubectl
        ? renderWithKubectl(join(ROOT, 'k8s/overlays', overlay))
        : kustomizeBuild(join(ROOT, 'k8s/overlays', overlay));
      const actual = byKey(objects);
      const expected = byKey(golden(overlay));
      const differing = [...expected.keys()].filter(
        (id) => !isDeepStrictEqual(actual.get(id), expected.get(id)),
      );
      expect({ differing, count: actual.size }).toEqual({ differing: [], count: expected.size });
    },
  );
});

describe.each(OVERLAYS)('k8s/overlays/%s (ARCHITECTURE §2 k8s/, §3 env contract)', (overlay) => {
  const { objects } = render(join(ROOT, 'k8s/overlays', overlay)) as { objects: Obj[] };
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const find = (kind: string, name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${kind}/${name} is not rendered`);
    return found;
  };
  const deployments = ofKind('Deployment');
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
  const configMap = (name: string) => find('ConfigMap', name).data ?? {};

  it('every object passes the Kubernetes API schema (kubernetes-models, offline)', () => {
    expect(validate(objects)).toEqual([]);
  });

  it('the schema check does reject a broken object (control)', () => {
    const broken = structuredClone(find('Deployment', 'gms'));
    broken.spec.replicas = 'three';
    delete broken.spec.template.spec.containers[0].name;
    const problems = validate([broken]);
    expect(problems.map((p) => p.error).join('\n')).toMatch(/replicas must be integer/);
    expect(problems.map((p) => p.error).join('\n')).toMatch(
      /containers\/0 must have required property '?name'?/,
    );
  });

  it('one Deployment, Service, ConfigMap, PDB and autoscaling/v2 HPA per app; gms and ucs have a migration Job', () => {
    for (const app of APPS) {
      const deployment = find('Deployment', app);
      const selector = deployment.spec.selector.matchLabels;
      expect(find('Service', app).spec.selector).toEqual(selector);
      expect(find('PodDisruptionBudget', app).spec.selector.matchLabels).toEqual(selector);
      const hpa = find('HorizontalPodAutoscaler', app);
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(deployment.spec.replicas);
      expect(configMap(`${app}-config`)).toBeDefined();
    }
    for (const app of ['gms', 'ucs']) {
      const job = find('Job', `${app}-migrate`);
      const [container] = job.spec.template.spec.containers;
      expect(container.command).toEqual(['node', 'migrate.js']);
      expect(container.image).toBe(find('Deployment', app).spec.template.spec.containers[0].image);
    }
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...APPS]);
  });

  it(`replicas: ${overlay === 'dev' ? 'one per app' : 'at least three per app'}`, () => {
    for (const deployment of deployments) {
      if (overlay === 'dev') expect(deployment.spec.replicas).toBe(1);
      else expect(deployment.spec.replicas).toBeGreaterThanOrEqual(3);
    }
  });

  it('every Deployment: startup, readiness (/health/ready) and liveness (/health/live) probes; requests and limits', () => {
    for (const deployment of deployments) {
      for (const c of deployment.spec.template.spec.containers) {
        expect(c.startupProbe?.httpGet?.path).toBe('/health/live');
        expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
        expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
          expect(c.ports.map((p: any) => p.name)).toContain(probe.httpGet.port);
        }
        for (const bound of ['requests', 'limits']) {
          expect(Object.keys(c.resources?.[bound] ?? {}).sort()).toEqual(['cpu', 'memory']);
        }
      }
    }
  });

  it('every workload runs as non-root with a read-only root fs, no capabilities, no privilege escalation, seccomp RuntimeDefault', () => {
    for (const workload of workloads) {
      const pod = workload.spec.template.spec;
      const id = key(workload);
      expect({ id, runAsNonRoot: pod.securityContext?.runAsNonRoot }).toEqual({ id, runAsNonRoot: true });
      expect({ id, seccomp: pod.securityContext?.seccompProfile?.type }).toEqual({
        id,
        seccomp: 'RuntimeDefault',
      });
      for (const c of pod.containers) {
        const sc = c.securityContext ?? {};
        expect({
          id,
          ro: sc.readOnlyRootFilesystem,
          esc: sc.allowPrivilegeEscalation,
          drop: sc.capabilities?.drop,
        }).toEqual({ id, ro: true, esc: false, drop: ['ALL'] });
      }
    }
  });

  it('the apps write only to emptyDir volumes: /tmp everywhere, the export directory for gms', () => {
    for (const workload of workloads.filter((w) =>
      APPS.includes(w.metadata.labels?.['app.kubernetes.io/name'] as never),
    )) {
      const pod = workload.spec.template.spec;
      const emptyDirs = new Set(pod.volumes.filter((v: any) => v.emptyDir).map((v: any) => v.name));
      const mounts = new Map<string, string>(
        pod.containers[0].volumeMounts.map((m: any) => [m.mountPath, m.name]),
      );
      expect(emptyDirs.has(mounts.get('/tmp'))).toBe(true);
    }
    const gms = find('Deployment', 'gms').spec.template.spec;
    const exportDir = configMap('gms-config').GMS_EXPORT_DIR;
    const mount = gms.containers[0].volumeMounts.find((m: any) => m.mountPath === exportDir);
    expect(gms.volumes.find((v: any) => v.name === mount?.name)?.emptyDir).toBeDefined();
  });

  it('shutdown: preStop sleep, and a grace period longer than preStop + CS_SHUTDOWN_DELAY_MS + CS_SHUTDOWN_TIMEOUT_MS', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      const [c] = pod.containers;
      expect(c.lifecycle?.preStop?.exec?.command?.[0]).toBe('sleep');
      const preStopMs = Number(c.lifecycle.preStop.exec.command[1]) * 1000;
      const env = configMap(`${deployment.metadata.name}-config`);
      const delay = Number(env.CS_SHUTDOWN_DELAY_MS);
      const timeout = Number(env.CS_SHUTDOWN_TIMEOUT_MS);
      expect(delay).toBeGreaterThan(0);
      expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopMs + delay + timeout);
    }
  });

  it('every image is pinned to a version tag or digest (no :latest, no bare name)', () => {
    const images = objects.flatMap((o) =>
      o.spec?.template?.spec
        ? [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers]
        : [],
    );
    expect(images.length).toBeGreaterThan(0);
    for (const { image } of images) {
      expect(image).toMatch(/(:[0-9][\w.-]*|@sha256:[0-9a-f]{64})$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('app workloads and their pod templates carry the app.kubernetes.io labels', () => {
    const appObjects = workloads.filter((w) =>
      APPS.includes(w.metadata.labels?.['app.kubernetes.io/name'] as never),
    );
    expect(appObjects).toHaveLength(5);
    for (const o of appObjects) {
      for (const labels of [o.metadata.labels, o.spec.template.metadata.labels]) {
        expect(
          Object.keys(labels ?? {})
            .filter((k) => LABEL_KEYS.includes(k))
            .sort(),
        ).toEqual([...LABEL_KEYS].sort());
      }
      expect(o.metadata.labels?.['app.kubernetes.io/version']).toBe(
        o.spec.template.spec.containers[0].image.split(':').pop(),
      );
    }
    for (const o of objects)
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('context-services');
  });

  it('only the gateway is exposed: one Ingress to the gateway Service, every Service is ClusterIP', () => {
    const backends = ofKind('Ingress').flatMap((i) =>
      i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service.name)),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    for (const service of ofKind('Service')) expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
  });

  it('NetworkPolicies: default-deny ingress; gms and ucs accept HTTP only from the gateway', () => {
    const policies = ofKind('NetworkPolicy');
    const denyAll = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(denyAll?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const gatewayPod = find('Deployment', 'gateway').spec.template.metadata.labels;
    for (const app of ['gms', 'ucs']) {
      const pod = find('Deployment', app).spec.template.metadata.labels;
      const rules = policies
        .filter((p) => selects(p.spec.podSelector, pod))
        .flatMap((p) => p.spec.ingress ?? []);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
        expect(rule.from).toHaveLength(1);
        expect(rule.from[0].namespaceSelector).toBeUndefined();
        expect(selects(rule.from[0].podSelector, gatewayPod)).toBe(true);
        expect(selects(rule.from[0].podSelector, pod)).toBe(false);
      }
    }
    if (overlay === 'dev') {
      for (const db of ['mysql', 'nats']) {
        const pod = find('StatefulSet', db).spec.template.metadata.labels;
        const rules = policies
          .filter((p) => selects(p.spec.podSelector, pod))
          .flatMap((p) => p.spec.ingress ?? []);
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
          for (const peer of rule.from) {
            const allowed = ['gateway', 'gms', 'ucs', 'mysql', 'nats'].filter((name) =>
              selects(peer.podSelector, { 'app.kubernetes.io/name': name }),
            );
            expect(allowed).toEqual(['gms', 'ucs']);
          }
        }
      }
    }
  });

  it('credentials come from Secrets: no password in a ConfigMap or an env value, the database URL only references them', () => {
    for (const cm of ofKind('ConfigMap')) {
      for (const [name, value] of Object.entries(cm.data ?? {})) {
        expect(name).not.toMatch(/PASSWORD|SECRET|TOKEN/);
        expect(value).not.toMatch(/mysql:\/\/[^$@]*:[^$@]+@/);
      }
    }
    for (const workload of workloads) {
      for (const c of workload.spec.template.spec.containers) {
        for (const env of c.env ?? []) {
          if (/PASSWORD|USER$/.test(env.name)) expect(env.valueFrom?.secretKeyRef).toBeDefined();
          if (/_DATABASE_URL$/.test(env.name)) {
            expect(env.value).toMatch(/^mysql:\/\/\$\(\w+_DB_USER\):\$\(\w+_DB_PASSWORD\)@\$\(\w+_DB_HOST\)/);
          }
        }
      }
    }
    const secrets = ofKind('Secret');
    if (overlay === 'prod') expect(secrets).toEqual([]);
    else {
      for (const secret of secrets) {
        const password = Buffer.from(secret.data?.password ?? '', 'base64').toString();
        expect(password).toMatch(/^dev-only-/);
      }
    }
  });

  it(`every Secret and ConfigMap a workload references is ${overlay === 'dev' ? 'rendered' : 'rendered, or one of the documented Secrets'}`, () => {
    const refs = workloads.flatMap((w) =>
      w.spec.template.spec.containers.flatMap((c: any) => [
        ...(c.envFrom ?? []).map((e: any) => ({ kind: 'ConfigMap', name: e.configMapRef.name })),
        ...(c.env ?? [])
          .filter((e: any) => e.valueFrom)
          .map((e: any) =>
            e.valueFrom.secretKeyRef
              ? {
                  kind: 'Secret',
                  name: e.valueFrom.secretKeyRef.name,
                  key: e.valueFrom.secretKeyRef.key,
                  optional: e.valueFrom.secretKeyRef.optional === true,
                }
              : {
                  kind: 'ConfigMap',
                  name: e.valueFrom.configMapKeyRef.name,
                  key: e.valueFrom.configMapKeyRef.key,
                },
          ),
      ]),
    );
    const external = overlay === 'prod' ? ['gms-database', 'ucs-database'] : [];
    for (const ref of refs) {
      // An optional Secret (the users of <APP>_USE_ROLE) only has to exist once the operator needs it.
      if (ref.kind === 'Secret' && (external.includes(ref.name) || ref.optional)) continue;
      const target = find(ref.kind, ref.name);
      if (ref.key) expect(Object.keys(target.data ?? {})).toContain(ref.key);
    }
  });

  it("the apps' env is made of variables they really read (apps/*/src/config/*-env.ts, common-env.ts)", () => {
    for (const app of APPS) {
      const known = knownEnvNames(app);
      const deployment = find('Deployment', app);
      const c = deployment.spec.template.spec.containers[0];
      const names = [
        ...Object.keys(configMap(`${app}-config`)),
        ...(c.env ?? []).map((e: any) => e.name as string),
      ];
      // The parts of <APP>_DATABASE_URL (assembled by $(VAR) expansion) are the only extra names.
      const unknown = names.filter(
        (name) => !known.has(name) && !/^(GMS|UCS)_DB_(USER|PASSWORD|HOST|PORT|NAME)$/.test(name),
      );
      expect({ app, unknown }).toEqual({ app, unknown: [] });
    }
  });
});

/** Whether a label selector (matchLabels / matchExpressions In) selects a pod with these labels. */
function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (selector.matchExpressions ?? []).every((e: any) =>
    e.operator === 'In' ? e.values.includes(labels[e.key]) : false,
  );
  return matchLabels && expressions;
}
