import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UtilizationRecordedV1Events, VisitCheckedInV1Event } from '@crc/contracts';
import { VISIT_EVENT_DEFINITIONS } from '@crc/attribution';
import { deadLetterTopic } from '@crc/platform';
import { knownVisitsConsumerGroup } from '../../libs/visit-directory/src/checked-in-visits.message.controller';
import { serviceNodeOptions } from '../../libs/infra/src/service-heap';
import { isStrimzi, renderKustomization, renderWithComponents } from './support/manifests';
import { KubernetesObject, KubernetesValidator } from './support/kubernetes-validator';
import { StrimziValidator } from './support/strimzi-validator';

const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'deploy', 'k8s');
const SERVICES = ['checkin', 'membership', 'telehealth', 'reporting'] as const;

/** Every topic of the contracts, the authoritative list (libs/contracts/src/events). */
const CONTRACT_TOPICS = [
  ...VISIT_EVENT_DEFINITIONS.map((d) => d.topic),
  ...Object.values(UtilizationRecordedV1Events).map((d) => d.topic),
  // The consumers' dead-letter topics: reporting's, and those of membership and telehealth (they read check-ins).
  ...['reporting', 'membership', 'telehealth'].map(deadLetterTopic),
];

type Any = Record<string, any>;

const rendered = {
  base: renderKustomization(join(K8S, 'base')),
  local: renderKustomization(join(K8S, 'overlays', 'local')),
  production: renderKustomization(join(K8S, 'overlays', 'production')),
  'production with kiosk-help-and-wifi': renderWithComponents(join(K8S, 'overlays', 'production'), [join(K8S, 'components', 'kiosk-help-and-wifi')]),
  'production with prometheus-operator': renderWithComponents(join(K8S, 'overlays', 'production'), [join(K8S, 'components', 'prometheus-operator')]),
};
const environments = ['local', 'production'] as const;
const all = Object.values(rendered).flat();
const kubernetes = new KubernetesValidator(
  all.filter((o) => !isStrimzi(o)),
  ROOT,
);
const strimzi = new StrimziValidator(process.env.CRC_STRIMZI_CRDS ?? '');

function problemsOf(object: KubernetesObject): string[] {
  return isStrimzi(object) ? [...strimzi.validate(object), ...kubernetes.validateMetadata(object.metadata)] : kubernetes.validate(object);
}

/** The services whose pods a network zone's ingress controllers may reach, by the NetworkPolicies. */
function reachableFromZone(objects: KubernetesObject[], zone: string): string[] {
  const policies = ofKind(objects, 'NetworkPolicy');
  return SERVICES.filter((service) =>
    policies.some(
      (p) =>
        (p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === service || Object.keys(p.spec.podSelector).length === 0) &&
        (p.spec.ingress ?? []).some((rule: Any) => (rule.from ?? []).some((peer: Any) => peer.namespaceSelector?.matchLabels?.['crc.network/zone'] === zone)),
    ),
  );
}

const ofKind = (objects: KubernetesObject[], kind: string) => objects.filter((o) => o.kind === kind) as Any[];
const named = (objects: KubernetesObject[], kind: string, name: string) => ofKind(objects, kind).find((o) => o.metadata.name === name)!;

describe('Kubernetes manifests (deploy/k8s)', () => {
  describe.each(Object.keys(rendered) as Array<keyof typeof rendered>)('%s, as kustomize renders it', (environment) => {
    it.each(rendered[environment].map((o) => [`${o.kind} ${o.metadata.name}`, o] as const))('%s is valid against its API schema', (_, object) => {
      expect(problemsOf(object)).toEqual([]);
    });
  });

  describe('the validation itself', () => {
    it('loaded the schemas of Strimzi 0.45 for every custom resource used', () => {
      expect(strimzi.kinds).toEqual(
        expect.arrayContaining([
          'kafka.strimzi.io/v1beta2/Kafka',
          'kafka.strimzi.io/v1beta2/KafkaNodePool',
          'kafka.strimzi.io/v1beta2/KafkaTopic',
          'kafka.strimzi.io/v1beta2/KafkaUser',
        ]),
      );
    });

    it('fails a Deployment with a misspelled field, and one with a wrong type', () => {
      const deployment = structuredClone(named(rendered.production, 'Deployment', 'checkin'));
      const container = deployment.spec.template.spec.containers[0];
      container.readinessProbee = container.readinessProbe;
      deployment.spec.replicas = 'two';
      expect(problemsOf(deployment as KubernetesObject)).toEqual(
        expect.arrayContaining([
          'spec.template.spec.containers[0].readinessProbee: unknown field "readinessProbee"',
          expect.stringMatching(/^\/spec\/replicas: must be integer/),
        ]),
      );
    });

    it('fails Strimzi resources with misspelled fields, at any depth', () => {
      const kafka = structuredClone(named(rendered.production, 'Kafka', 'crc-kafka'));
      kafka.spec.kafka.listeners[0].authentification = kafka.spec.kafka.listeners[0].authentication;
      kafka.spec.entityOperator.topicOperater = {};
      expect(problemsOf(kafka as KubernetesObject)).toEqual(
        expect.arrayContaining(['/spec/kafka/listeners/0: unknown field "authentification"', '/spec/entityOperator: unknown field "topicOperater"']),
      );
      const topic = structuredClone(ofKind(rendered.production, 'KafkaTopic')[0]);
      topic.spec.partitons = topic.spec.partitions;
      topic.metadata.lables = {};
      expect(problemsOf(topic as KubernetesObject)).toEqual(['/spec: unknown field "partitons"', 'metadata.lables: unknown field "lables"']);
      const user = structuredClone(ofKind(rendered.production, 'KafkaUser')[0]);
      user.spec.authorization.acls[0].operations = ['Writ'];
      expect(problemsOf(user as KubernetesObject)).toEqual([
        expect.stringMatching(/^\/spec\/authorization\/acls\/0\/operations\/0: must be equal to one of the allowed values/),
      ]);
    });
  });

  describe.each(environments)('%s', (environment) => {
    const objects = rendered[environment];
    const deployments = ofKind(objects, 'Deployment');
    const config = ofKind(objects, 'ConfigMap').find((c) => c.metadata.name.startsWith('crc-config'))!.data as Record<string, string>;

    it('runs the four services, each with probes on /health, resources, a disruption budget and an autoscaler', () => {
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const pod = deployment.spec.template.spec;
        const [container] = pod.containers;
        expect(container.command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
        expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(container.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
        expect(container.resources.limits).toEqual({ cpu: expect.anything(), memory: expect.anything() });
        // The heap limit it runs with everywhere (npm start, the benchmark, compose).
        expect(container.env).toContainEqual({ name: 'NODE_OPTIONS', value: serviceNodeOptions(name) });
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
        expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        const selects = (o: Any) => o.spec.selector?.matchLabels?.['app.kubernetes.io/name'] === name;
        expect(ofKind(objects, 'PodDisruptionBudget').filter(selects)).toHaveLength(1);
        expect(ofKind(objects, 'HorizontalPodAutoscaler').filter((h) => h.spec.scaleTargetRef.name === name)).toHaveLength(1);
        expect(ofKind(objects, 'Service').filter((s) => s.spec.selector['app.kubernetes.io/name'] === name)).toHaveLength(1);
      }
    });

    it('has a KafkaTopic for every topic of the contracts, replicated as the services are told', () => {
      const topics = ofKind(objects, 'KafkaTopic');
      expect(topics.map((t) => t.metadata.name).sort()).toEqual([...CONTRACT_TOPICS].sort());
      for (const topic of topics) {
        expect(topic.metadata.labels['strimzi.io/cluster']).toBe('crc-kafka');
        expect(topic.spec.replicas).toBe(Number(config.KAFKA_REPLICATION_FACTOR));
        expect(Number(topic.spec.config['retention.ms'])).toBeGreaterThan(0);
      }
      const visitTopics = topics.filter((t) => VISIT_EVENT_DEFINITIONS.some((d) => d.topic === t.metadata.name));
      expect(new Set(visitTopics.map((t) => t.spec.partitions))).toEqual(new Set([Number(config.KAFKA_TOPIC_PARTITIONS)]));
      // A reporting instance beyond the partitions of its busiest topic would sit idle.
      expect(named(objects, 'HorizontalPodAutoscaler', 'reporting').spec.maxReplicas).toBeLessThanOrEqual(Number(config.KAFKA_TOPIC_PARTITIONS));
    });

    it('has a KafkaUser per service and per partner, each partner reading only its own feed', () => {
      const users = ofKind(objects, 'KafkaUser');
      expect(users.map((u) => u.metadata.name).sort()).toEqual(
        [...SERVICES.map((s) => `crc-${s}`), 'crc-partner-blue-shield-promise', 'crc-partner-la-care'].sort(),
      );
      for (const [user, plan] of [
        ['crc-partner-la-care', 'LA_CARE'],
        ['crc-partner-blue-shield-promise', 'BLUE_SHIELD_PROMISE'],
      ] as const) {
        const acls = named(objects, 'KafkaUser', user).spec.authorization.acls as Any[];
        const topicAcls = acls.filter((a) => a.resource.type === 'topic');
        expect(topicAcls.map((a) => [a.resource.name, a.resource.patternType])).toEqual([[UtilizationRecordedV1Events[plan].topic, 'literal']]);
        expect(acls.flatMap((a) => a.operations).every((op: string) => op === 'Read' || op === 'Describe')).toBe(true);
      }
      // No one creates topics or touches the cluster: the KafkaTopics are the only source.
      for (const user of users) {
        for (const acl of user.spec.authorization.acls as Any[]) {
          expect(acl.operations).not.toContain('Create');
          expect(acl.operations).not.toContain('All');
          expect(acl.resource.type).not.toBe('cluster');
        }
      }
    });

    it('lets membership and telehealth read check-ins with their own consumer group, and park what they cannot read', () => {
      for (const [service, group] of [
        ['membership', knownVisitsConsumerGroup('membership')],
        ['telehealth', knownVisitsConsumerGroup('telehealth')],
      ] as const) {
        const acls = named(objects, 'KafkaUser', `crc-${service}`).spec.authorization.acls as Any[];
        const allows = (type: string, name: string, operation: string) =>
          acls.some(
            (a) =>
              a.resource.type === type &&
              (a.resource.patternType === 'prefix' ? name.startsWith(a.resource.name) : a.resource.name === name) &&
              a.operations.includes(operation),
          );
        expect([service, allows('topic', VisitCheckedInV1Event.topic, 'Read')]).toEqual([service, true]);
        expect([service, allows('group', group, 'Read')]).toEqual([service, true]);
        expect([service, allows('topic', deadLetterTopic(service), 'Write')]).toEqual([service, true]);
        // Check-ins only: nothing else of another service.
        expect(acls.filter((a) => a.operations.includes('Read') && a.resource.type === 'topic').map((a) => a.resource.name)).toEqual([
          VisitCheckedInV1Event.topic,
        ]);
      }
    });

    it('uses each service its own KafkaUser and MongoDB URI', () => {
      for (const deployment of deployments) {
        const name = deployment.metadata.name;
        const env = deployment.spec.template.spec.containers[0].env as Any[];
        expect(env.find((e) => e.name === 'KAFKA_SASL_USERNAME')!.value).toBe(`crc-${name}`);
        expect(env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')!.valueFrom.secretKeyRef).toEqual({ name: `crc-${name}`, key: 'password' });
        expect(env.find((e) => e.name === 'MONGODB_URI')!.valueFrom.secretKeyRef).toEqual({ name: 'crc-mongodb-uris', key: name });
      }
    });

    it('holds no secret values: every Secret is made outside the repository, by the operators or by Strimzi', () => {
      expect(ofKind(objects, 'Secret')).toEqual([]);
      const referenced = new Set<string>();
      JSON.stringify(objects, (key, value) => {
        if ((key === 'secretKeyRef' || key === 'secret') && value) referenced.add(value.name ?? value.secretName);
        if (key === 'secretName' && typeof value === 'string') referenced.add(value);
        return value;
      });
      // The documented list (deploy/k8s/README.md, "Secrets"); Strimzi makes the KafkaUsers' and its CA's.
      const documented = readFileSync(join(K8S, 'README.md'), 'utf8');
      for (const name of referenced) {
        const madeByStrimzi = name === 'crc-kafka-cluster-ca-cert' || ofKind(objects, 'KafkaUser').some((u) => u.metadata.name === name);
        expect([name, madeByStrimzi || documented.includes(`\`${name}\``)]).toEqual([name, true]);
      }
    });

    it('lets kiosks reach only check-in, and partners only reporting', () => {
      const reachableFrom = (zone: string) => reachableFromZone(objects, zone);
      expect(reachableFrom('kiosk')).toEqual(['checkin']);
      expect(reachableFrom('partner')).toEqual(['reporting']);
      expect(reachableFrom('center')).toEqual(['checkin', 'membership', 'telehealth']);
      expect(reachableFrom('operations')).toEqual(['reporting']);
      expect(named(objects, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
      // The ingresses publish API routes only: never /metrics, /health or /docs.
      const paths = ofKind(objects, 'Ingress').flatMap((i) => i.spec.rules.flatMap((r: Any) => r.http.paths.map((p: Any) => p.path)));
      expect(paths.every((p: string) => p.startsWith('/v1/') || p === '/dashboard')).toBe(true);
    });

    it('runs MongoDB as a replica set and Kafka in KRaft mode with a node pool', () => {
      const mongodb = named(objects, 'StatefulSet', 'mongodb');
      expect(mongodb.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
      const init = named(objects, 'Job', 'mongodb-init').spec.template.spec.containers[0].env as Any[];
      expect(init.find((e) => e.name === 'MONGODB_REPLICAS')!.value).toBe(String(mongodb.spec.replicas));
      const kafka = named(objects, 'Kafka', 'crc-kafka');
      expect(kafka.metadata.annotations).toMatchObject({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
      expect(ofKind(objects, 'KafkaNodePool')[0].spec.roles.sort()).toEqual(['broker', 'controller']);
    });
  });

  it('opens membership and telehealth to the kiosks only with the kiosk-help-and-wifi component', () => {
    const objects = rendered['production with kiosk-help-and-wifi'];
    expect(reachableFromZone(objects, 'kiosk')).toEqual(['checkin', 'membership', 'telehealth']);
    expect(reachableFromZone(objects, 'partner')).toEqual(['reporting']);
    expect(named(objects, 'Ingress', 'kiosk').spec.rules.map((r: Any) => r.host)).toEqual([
      'kiosk.crc.example',
      'membership.kiosk.crc.example',
      'telehealth.kiosk.crc.example',
    ]);
  });

  it('gives the Prometheus Operator the alert rules of deploy/observability/alerts.yml, and scrapes every service', () => {
    const objects = rendered['production with prometheus-operator'];
    const alerts = parse(readFileSync(join(ROOT, 'deploy', 'observability', 'alerts.yml'), 'utf8')) as { groups: unknown[] };
    const rule = named(objects, 'PrometheusRule', 'crc-alerts');
    // A difference here: copy the groups of alerts.yml into components/prometheus-operator/prometheus-rule.yaml.
    expect(rule.spec.groups).toEqual(alerts.groups);
    expect(rule.metadata.namespace).toBe('crc-network');
    const monitor = named(objects, 'PodMonitor', 'crc-services');
    const scraped = ofKind(objects, 'Deployment').filter((d) =>
      Object.entries(monitor.spec.selector.matchLabels as Record<string, string>).every(([key, value]) => d.spec.template.metadata.labels[key] === value),
    );
    expect(scraped.map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
    for (const deployment of scraped)
      expect(deployment.spec.template.spec.containers[0].ports.map((p: Any) => p.name)).toContain(monitor.spec.podMetricsEndpoints[0].port);
    expect(monitor.spec.podMetricsEndpoints[0].path).toBe('/metrics');
  });

  it('runs production on three Kafka nodes and three MongoDB members, with min.insync.replicas 2', () => {
    const objects = rendered.production;
    expect(named(objects, 'KafkaNodePool', 'dual-role').spec.replicas).toBe(3);
    expect(named(objects, 'StatefulSet', 'mongodb').spec.replicas).toBe(3);
    for (const topic of ofKind(objects, 'KafkaTopic')) expect(topic.spec).toMatchObject({ replicas: 3, config: { 'min.insync.replicas': 2 } });
    for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler')) expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  });
});
