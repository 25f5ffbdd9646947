import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdkContext,
  noBundling,
  reportFindingsInsteadOfThrowing,
  type Resource,
  unacknowledgedRules,
  webDistStandIn,
} from '#test/support/infra.js';
import { createApp, type KansaApp } from '#cdk/app.js';
import { xrayAck } from '#cdk/constructs/app-function.js';
import { eventArchiveRetention } from '#cdk/stacks/jobs-stack.js';
import { apiErrorRate, pendingEvidenceMaxHours, pendingEvidenceMetric } from '#cdk/stacks/monitoring-stack.js';
import { eventFunctionSpecs, functionNames } from '#lib/functions.js';
import { eventSource } from '#lib/jobs/events.js';
import { metricsNamespace } from '#lib/metrics.js';

const dirs: string[] = [];
let kansa: KansaApp;
let withEmail: KansaApp;
let monitoring: Template;

/**
 * The app as cdk/app.ts builds it from cdk.json's context (no `alarmEmail`), and once more
 * with `alarmEmail` set. Functions are not bundled (test/infra/stack.test.ts covers them); a
 * stand-in for web/dist lets the web stacks build.
 */
function app(extra: Record<string, unknown> = {}): KansaApp {
  const outdir = mkdtempSync(join(tmpdir(), 'kansa-monitoring-infra-'));
  const dist = webDistStandIn();
  dirs.push(outdir, dist);
  const built = createApp({
    outdir,
    context: { ...cdkContext, webDist: dist, ...noBundling, ...reportFindingsInsteadOfThrowing, ...extra },
  });
  built.app.synth();
  return built;
}

beforeAll(() => {
  kansa = app();
  withEmail = app({ alarmEmail: 'kojin-joho@city.example.lg.jp' });
  monitoring = Template.fromStack(kansa.monitoring);
}, 180_000);

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const stacksOf = (k: KansaApp): Stack[] => [k.webHosting, k.data, k.jobs, k.api, k.webContent, k.monitoring];
const alarms = (): Resource[] => Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')) as Resource[];
const topicId = (): string => Object.keys(monitoring.findResources('AWS::SNS::Topic'))[0] as string;

/** Every Lambda function of ours in the app (it has the app's SERVICE_NAME), with its stack and logical id. */
function ourFunctions(): { stack: Stack; id: string; resource: Resource }[] {
  return stacksOf(kansa).flatMap((stack) =>
    Object.entries(Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<string, Resource>)
      .filter(([, r]) => r.Properties?.Environment?.Variables?.SERVICE_NAME !== undefined)
      .map(([id, resource]) => ({ stack, id, resource })),
  );
}

/** How the monitoring stack refers to `Ref: id` of another stack: that stack's output of it (weak cross-stack reference). */
function importOf(stack: Stack, id: string): unknown {
  const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
  const name = Object.entries(outputs).find(([, o]) => JSON.stringify(o.Value) === JSON.stringify({ Ref: id }))?.[0];
  expect(name, `output of ${stack.stackName}/${id}`).toBeDefined();
  return { 'Fn::GetStackOutput': { StackName: stack.stackName, Region: stack.region, OutputName: name } };
}

describe('alarm topic', () => {
  it('is encrypted with its own rotated KMS key, which CloudWatch of this account may use', () => {
    const [keyId, key] = Object.entries(monitoring.findResources('AWS::KMS::Key'))[0] as [string, Resource];
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    monitoring.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    expect(key.Properties?.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });

  it('takes publishes over TLS only, and from CloudWatch alarms of this account', () => {
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('has an e-mail subscription to context alarmEmail', () => {
    const t = Template.fromStack(withEmail.monitoring);
    t.resourceCountIs('AWS::SNS::Subscription', 1);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'kojin-joho@city.example.lg.jp' });
    Annotations.fromStack(withEmail.monitoring).hasNoWarning('*', Match.stringLikeRegexp('alarmEmail'));
  });

  it('without alarmEmail has no subscription, and synth warns that nobody will be told', () => {
    monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    Annotations.fromStack(kansa.monitoring).hasWarning('/KansaMonitoring', Match.stringLikeRegexp('alarmEmail.*nobody will be told'));
  });

  it('refuses an alarmEmail that is not an e-mail address', () => {
    expect(() => createApp({ context: { ...cdkContext, alarmEmail: 'kojin-joho' } })).toThrow(/alarmEmail/);
  });
});

describe('alarms', () => {
  it('every alarm tells in Japanese what happened, and notifies the topic when it fires and when it is OK again', () => {
    expect(alarms().length).toBeGreaterThan(4);
    for (const a of alarms()) {
      expect(a.Properties?.AlarmDescription).toMatch(/[ぁ-んァ-ヶ一-龠].*。.*[ぁ-んァ-ヶ一-龠]/);
      expect(a.Properties?.AlarmActions).toEqual([{ Ref: topicId() }]);
      expect(a.Properties?.OKActions).toEqual([{ Ref: topicId() }]);
    }
  });

  it('one Errors and one Throttles alarm per function of the app (≥ 1 in 5 minutes)', () => {
    const functions = ourFunctions();
    // The HTTP functions, the event functions and the jobs function.
    expect(functions).toHaveLength(functionNames.length + Object.keys(eventFunctionSpecs).length + 1);
    for (const { stack, id } of functions) {
      for (const metricName of ['Errors', 'Throttles']) {
        const matching = alarms().filter(
          (a) =>
            a.Properties?.MetricName === metricName &&
            a.Properties?.Namespace === 'AWS/Lambda' &&
            JSON.stringify(a.Properties?.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: importOf(stack, id) }]),
        );
        expect(matching, `${metricName} of ${stack.stackName}/${id}`).toHaveLength(1);
        expect(matching[0]?.Properties).toMatchObject({
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    }
    expect(alarms().filter((a) => a.Properties?.Namespace === 'AWS/Lambda')).toHaveLength(2 * functions.length);
  });

  it("the HTTP API's 5xx rate: 5xx / Count of its stage over 5 minutes, ≥ 1 % once there are at least 20 requests", () => {
    expect(apiErrorRate).toMatchObject({ percent: 1, minRequests: 20 });
    const stage = kansa.api.httpStage;
    const dimensions = [
      { Name: 'ApiId', Value: kansa.monitoring.resolve(stage.api.apiId) },
      { Name: 'Stage', Value: stage.stageName },
    ];
    const stat = (id: string, metricName: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: { Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: dimensions }, Period: 300, Stat: 'Sum' },
    });
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayEquals([
        Match.objectLike({ Expression: 'IF(requests >= 20, 100 * errors / requests, 0)', ReturnData: true }),
        stat('errors', '5xx'),
        stat('requests', 'Count'),
      ]),
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it.each([
    ['the jobs dead-letter queue', () => kansa.jobs.deadLetterQueue],
    ["the verifier's failure queue", () => kansa.api.verifierFailureQueue],
  ])('%s: one message visible is an alarm', (_name, queue) => {
    const matching = alarms().filter(
      (a) =>
        a.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Properties?.Dimensions) ===
          JSON.stringify([{ Name: 'QueueName', Value: kansa.monitoring.resolve(queue().queueName) }]),
    );
    expect(matching).toHaveLength(1);
    expect(JSON.stringify(matching[0]?.Properties?.Dimensions)).toMatch(/"Fn::GetStackOutput"/);
    expect(matching[0]?.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Period: 300,
      TreatMissingData: 'notBreaching',
    });
    // The stacks that own the queues keep no alarm of their own.
    for (const stack of [kansa.jobs, kansa.api]) Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  it('the oldest pending evidence: the daily maximum of the metric evidence-pending publishes, above 25 hours', () => {
    expect(pendingEvidenceMaxHours).toBe(25);
    const serviceName = (Object.values(Template.fromStack(kansa.jobs).findResources('AWS::Lambda::Function'))[0] as Resource).Properties
      ?.Environment.Variables.SERVICE_NAME as string;
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: metricsNamespace,
      MetricName: pendingEvidenceMetric,
      Dimensions: [{ Name: 'service', Value: serviceName }],
      Statistic: 'Maximum',
      Period: 86400,
      Threshold: 25,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmDescription: Match.stringLikeRegexp('evidence-pending'),
    });
  });
});

describe('tracing', () => {
  it('every function of ours has active X-Ray tracing, and its role acknowledges only the X-Ray actions on *', () => {
    for (const { stack, id, resource } of ourFunctions()) {
      expect(resource.Properties?.TracingConfig, `${stack.stackName}/${id}`).toEqual({ Mode: 'Active' });
      const roleId = (resource.Properties?.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy') as Record<string, Resource>).filter((p) =>
        JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`),
      );
      const onStar = policies
        .flatMap((p) => p.Properties?.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
        .filter((st) => st.Resource === '*');
      expect(onStar.flatMap((st) => [st.Action].flat()).sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      const acks = policies.flatMap(
        (p) => (p.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)?.rules_to_suppress ?? [],
      );
      expect(acks).toContainEqual(xrayAck);
    }
    expect(xrayAck.reason).toMatch(/no resource-level permissions/);
  });
});

describe('events bus archive', () => {
  it(`archives every event of source "${eventSource}" on the bus for ${eventArchiveRetention.toDays()} days`, () => {
    const jobs = Template.fromStack(kansa.jobs);
    const busId = kansa.jobs.getLogicalId(kansa.jobs.bus.node.defaultChild as never);
    jobs.resourceCountIs('AWS::Events::Archive', 1);
    jobs.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      EventPattern: { source: ['kansa'] },
      RetentionDays: 400,
    });
  });
});

describe('cdk-nag AwsSolutions and Serverless', () => {
  it('reports no unacknowledged finding anywhere in the app', () => {
    expect(unacknowledgedRules(kansa.app)).toEqual([]);
  });
});
