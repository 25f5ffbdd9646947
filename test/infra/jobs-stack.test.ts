import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionsOf,
  cdkContext,
  logicalId as logicalIdIn,
  reportFindingsInsteadOfThrowing,
  type Resource,
  type Statement,
  statementsOf,
  unacknowledgedRules,
  validationFindings,
} from '#test/support/infra.js';
import { quietly } from '#test/support/quiet-synth.js';
import { tableActions, xrayAck } from '#cdk/constructs/app-function.js';
import { bucketGrants } from '#cdk/constructs/evidence-access.js';
import { evidenceBucketNameOutput } from '#cdk/stacks/data-stack.js';
import { JobsStack, jobRetry } from '#cdk/stacks/jobs-stack.js';
import { dutySchedules } from '#lib/jobs/schedule.js';
import { getProfile } from '#lib/profiles/index.js';
import type { PracticeOverrides } from '#lib/profiles/practices.js';

let outdir: string;
let kansa: { app: App; jobs: JobsStack };
let assemblyDir: string;
let jobs: Template;

/**
 * The jobs stack as cdk/app.ts builds it (KansaJobs, fed the data stack's table and
 * evidence bucket), in an app of its own with cdk-nag's AwsSolutions and Serverless plugins, so this file
 * tests it alone.
 */
function jobsApp(profileId: string, opts: { outdir?: string; practices?: PracticeOverrides } = {}): { app: App; jobs: JobsStack } {
  const app = new App({
    ...(opts.outdir === undefined ? {} : { outdir: opts.outdir }),
    context: { ...cdkContext, ...reportFindingsInsteadOfThrowing },
  });
  const data = new Stack(app, 'KansaData');
  const table = new Table(data, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
  });
  const evidenceBucket = new Bucket(data, 'EvidenceBucket');
  new CfnOutput(data, evidenceBucketNameOutput, { value: evidenceBucket.bucketName });
  const jobs = new JobsStack(app, 'KansaJobs', {
    table,
    evidenceBucket,
    profileId,
    practices: opts.practices ?? {},
    logLevel: 'INFO',
    departments: [],
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  Validations.of(app).addPlugins(new ServerlessChecks(app, { writeSuppressionsToCloudFormation: true }));
  return { app, jobs };
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'kansa-jobs-infra-'));
  kansa = quietly(() => jobsApp('001', { outdir }));
  assemblyDir = kansa.app.synth().directory;
  jobs = Template.fromStack(kansa.jobs);
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const logicalId = (construct: { node: { defaultChild?: unknown } }): string => logicalIdIn(kansa.jobs, construct);
const ref = (construct: { node: { defaultChild?: unknown } }, attribute = 'Arn') => ({ 'Fn::GetAtt': [logicalId(construct), attribute] });
const schedules = (t: Template) => Object.values(t.findResources('AWS::Scheduler::Schedule')) as Resource[];

describe('schedules', () => {
  const table = dutySchedules(getProfile('001'));

  it('makes one schedule per enabled duty of the profile and per system duty, from the schedule table', () => {
    expect(
      schedules(jobs)
        .map((s) => s.Properties?.ScheduleExpression)
        .sort(),
    ).toEqual(table.map((r) => r.eventBridge).sort());
    expect(table.map((r) => r.eventBridge)).toEqual([
      'cron(5 0 1 4 ? *)',
      'cron(10 0 1 1,4,7,10 ? *)',
      'cron(15 0 1 4 ? *)',
      'cron(20 0 * * ? *)',
      'cron(25 0 * * ? *)',
      'cron(35 0 * * ? *)',
      'cron(30 0 * * ? *)',
      'cron(40 0 * * ? *)',
    ]);
    // A system duty cites no article: its source is kansa's practice (運用).
    expect(table.find((r) => r.duty === 'evidence-pending')).toMatchObject({
      source: '運用上のルール',
      frequency: 'daily',
      description: expect.stringContaining('（運用上のルール）: 毎日 00:30'),
    });
    expect(table.find((r) => r.duty === 'audit-anchor')).toMatchObject({
      source: '運用上のルール',
      frequency: 'daily',
      description: expect.stringContaining('（運用上のルール）: 毎日 00:40'),
    });
  });

  it.each(table.map((r) => [r.duty, r] as const))(
    '%s: Asia/Tokyo, no flexible window, the scheduled time as the instant, retries and the DLQ',
    (duty, row) => {
      const [schedule] = schedules(jobs).filter(
        (s) => s.Properties?.ScheduleExpression === row.eventBridge && JSON.stringify(s.Properties).includes(`\\"${duty}\\"`),
      );
      expect(schedule).toBeDefined();
      const p = schedule?.Properties as Record<string, unknown>;
      expect(p.ScheduleExpressionTimezone).toBe('Asia/Tokyo');
      expect(p.FlexibleTimeWindow).toEqual({ Mode: 'OFF' });
      expect(p.State).toBe('ENABLED');
      const target = p.Target as Record<string, unknown>;
      expect(JSON.parse(target.Input as string)).toEqual({ duty, instant: '<aws.scheduler.scheduled-time>' });
      expect(target.Arn).toEqual(ref(kansa.jobs.jobFunction));
      expect(target.RoleArn).toEqual(ref(kansa.jobs.schedulerRole));
      expect(target.DeadLetterConfig).toEqual({ Arn: ref(kansa.jobs.deadLetterQueue) });
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: jobRetry.schedulerAttempts,
        MaximumEventAgeInSeconds: jobRetry.maxEventAge.toSeconds(),
      });
    },
  );

  const expressionsOf = (stack: JobsStack) =>
    schedules(Template.fromStack(stack))
      .map((s) => [JSON.parse((s.Properties?.Target as { Input: string }).Input).duty, s.Properties?.ScheduleExpression])
      .sort();

  it('follows the profile: 003 has no 監査 (no annual plan, no overdue actions), no contractor-check schedule and inspects yearly (and has the reports’ deadlines, the training’s 再受講 as its practice and the system duties)', () => {
    const stack = quietly(() => jobsApp('003').jobs);
    expect(expressionsOf(stack)).toEqual([
      ['audit-anchor', 'cron(40 0 * * ? *)'],
      ['evidence-pending', 'cron(30 0 * * ? *)'],
      ['incident-deadlines', 'cron(25 0 * * ? *)'],
      ['section-inspection', 'cron(10 0 1 4 ? *)'],
      ['training-followup', 'cron(35 0 * * ? *)'],
    ]);
  }, 60_000);

  it('follows the practice: 003 auditing as its practice drafts an annual plan, and the jobs function reads the same PRACTICES_JSON', () => {
    const stack = quietly(() => jobsApp('003', { practices: { audits: true } }).jobs);
    expect(expressionsOf(stack)).toContainEqual(['annual-plan', 'cron(5 0 1 4 ? *)']);
    expect(expressionsOf(stack)).toContainEqual(['overdue-actions', 'cron(20 0 * * ? *)']);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROFILE_ID: '003', PRACTICES_JSON: '{"audits":true}' }) },
    });
  }, 60_000);
});

describe('dead-letter queue', () => {
  it('is encrypted, SSL only and keeps messages 14 days (its alarm: test/infra/monitoring.test.ts)', () => {
    jobs.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    jobs.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("also takes runs that still fail after Lambda's asynchronous retries", () => {
    jobs.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(kansa.jobs.jobFunction) },
      MaximumRetryAttempts: jobRetry.lambdaAttempts,
      MaximumEventAgeInSeconds: jobRetry.maxEventAge.toSeconds(),
      DestinationConfig: { OnFailure: { Destination: ref(kansa.jobs.deadLetterQueue) } },
    });
  });
});

describe('IAM', () => {
  it('the scheduler role is assumed by EventBridge Scheduler of this account and may only invoke the jobs function and send to the DLQ', () => {
    const role = jobs.toJSON().Resources[logicalId(kansa.jobs.schedulerRole)] as Resource;
    const trust = (role.Properties?.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    const sts = statementsOf(jobs, logicalId(kansa.jobs.schedulerRole));
    expect(actionsOf(sts)).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    for (const st of sts) {
      const resources = [st.Resource].flat().map((r) => JSON.stringify(r));
      const allowed = [JSON.stringify(ref(kansa.jobs.jobFunction)), JSON.stringify(ref(kansa.jobs.deadLetterQueue))];
      expect(resources.every((r) => allowed.includes(r) || r.includes(`"${logicalId(kansa.jobs.jobFunction)}","Arn"]},":*"`))).toBe(true);
    }
  });

  it('the jobs function reads and writes the table (no delete, no scan), puts events on its bus only, and sends failures to the DLQ', () => {
    const roleId = logicalId(kansa.jobs.jobFunction.role as never);
    const sts = statementsOf(jobs, roleId);
    const dynamo = sts.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(actionsOf(dynamo)).toEqual([...tableActions.readWrite].sort());
    const events = sts.filter((s) => [s.Action].flat().some((a) => a.startsWith('events:')));
    expect(events).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'events:PutEvents', Resource: ref(kansa.jobs.bus) })]);
    expect(actionsOf(sts).filter((a) => !/^(dynamodb|logs|kms|s3):/.test(a))).toEqual([
      'events:PutEvents',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      // Active tracing (on * : X-Ray has no resource-level permissions for them).
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    jobs.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: logicalId(kansa.jobs.bus) }, PROFILE_ID: '001' }) },
      Timeout: 900,
    });
  });
});

describe('evidence bucket', () => {
  it("the jobs function has the verifier's access (evidence-pending verifies uploads) and may put anchors (audit-anchor), per prefix, listing incoming/ only, and the bucket's name", () => {
    const sts = statementsOf(jobs, logicalId(kansa.jobs.jobFunction.role as never)).filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('s3:')),
    );
    const scope = (r: unknown): string => {
      const text = JSON.stringify(r);
      const prefix = /"\/(incoming|evidence|quarantine|anchors)\/\*"/.exec(text)?.[1];
      return prefix ? `${prefix}/*` : /EvidenceBucketName/.test(text) ? 'bucket' : text;
    };
    const grants = sts.flatMap((st) => [st.Action].flat().flatMap((a) => [st.Resource].flat().map((r) => `${a} on ${scope(r)}`)));
    const expected = [
      ...bucketGrants.verify.flatMap((g) => g.actions.flatMap((a) => g.prefixes.map((p) => `${a} on ${p}*`))),
      // Malware scanning is on by default: the duty reads GuardDuty's result tag on the upload.
      ...bucketGrants.scanResult.flatMap((g) => g.actions.flatMap((a) => g.prefixes.map((p) => `${a} on ${p}*`))),
      's3:ListBucket on bucket',
      // The anchors: put only, never delete, overwrite retention or bypass it.
      's3:PutObject on anchors/*',
    ];
    expect([...new Set(grants)].sort()).toEqual([...new Set(expected)].sort());
    expect(grants).toContain('s3:GetObjectVersion on incoming/*');
    const listing = sts.find((st) => [st.Action].flat().includes('s3:ListBucket'));
    expect(listing?.Condition).toEqual({ StringLike: { 's3:prefix': 'incoming/*' } });
    // An anchor is put only with If-None-Match: the role cannot replace one that exists.
    const anchorPut = sts.filter((st) => scope(st.Resource) === 'anchors/*');
    expect(anchorPut).toHaveLength(1);
    expect(anchorPut[0]?.Condition).toEqual({ Null: { 's3:if-none-match': 'false' } });
    jobs.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          EVIDENCE_BUCKET: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'KansaData', OutputName: evidenceBucketNameOutput }) },
        }),
      },
      Timeout: 900,
    });
  });
});

describe('cdk-nag AwsSolutions and Serverless', () => {
  it('reports no unacknowledged finding on the jobs stack', () => {
    expect(validationFindings(assemblyDir, { under: 'KansaJobs/' })).toEqual([]);
    expect(unacknowledgedRules(kansa.jobs)).toEqual([]);
  });

  it('acknowledges only SQS3 and the redrive policy on the dead-letter queue, the LambdaInvoke :* grant, the per-prefix evidence grants, X-Ray on * and the DLQ the on-failure queue replaces, each with its reason', () => {
    const acknowledged = Object.entries(jobs.toJSON().Resources as Record<string, Resource>).flatMap(([id, r]) =>
      ((r.Metadata?.cdk_nag as { rules_to_suppress?: { id: string; reason: string }[] } | undefined)?.rules_to_suppress ?? []).map(
        (rule) => ({ rule: rule.id, reason: rule.reason, resource: id }),
      ),
    );
    const fn = logicalId(kansa.jobs.jobFunction);
    const schedulerPolicy = kansa.jobs.getLogicalId(
      kansa.jobs.schedulerRole.node.findChild('DefaultPolicy').node.defaultChild as CfnElement,
    );
    const fnPolicy = kansa.jobs.getLogicalId(kansa.jobs.jobFunction.role?.node.findChild('DefaultPolicy').node.defaultChild as CfnElement);
    const iam5 = (prefix: string) =>
      expect.stringMatching(
        new RegExp(
          `^AwsSolutions-IAM5\\[Resource::arn:(?:aws|<AWS::Partition>):s3:::\\{"Fn::GetStackOutput":.*"OutputName":"${evidenceBucketNameOutput}"\\}\\}/${prefix}/\\*\\]$`,
        ),
      );
    expect(acknowledged).toHaveLength(9);
    expect(acknowledged).toEqual(
      expect.arrayContaining([
        {
          rule: 'AwsSolutions-SQS3',
          reason: expect.stringMatching(/^This queue IS the dead-letter queue.{40,}/),
          resource: logicalId(kansa.jobs.deadLetterQueue),
        },
        {
          rule: `AwsSolutions-IAM5[Resource::<${fn}.Arn>:*]`,
          reason: expect.stringMatching(/^lambda:InvokeFunction on the jobs function.{40,}/),
          resource: schedulerPolicy,
        },
        // The evidence-pending duty verifies uploads: the verifier's per-prefix grants, each with its reason.
        {
          rule: iam5('incoming'),
          reason: expect.stringMatching(/^s3:GetObject, s3:GetObjectVersion on incoming\/\* only: .{20,}/),
          resource: fnPolicy,
        },
        {
          rule: iam5('evidence'),
          reason: expect.stringMatching(/^s3:PutObject on evidence\/\* only: .{20,}/),
          resource: fnPolicy,
        },
        {
          rule: iam5('quarantine'),
          reason: expect.stringMatching(/^s3:PutObject, s3:PutObjectRetention on quarantine\/\* only: .{20,}/),
          resource: fnPolicy,
        },
        // The audit-anchor duty writes the anchors.
        { rule: iam5('anchors'), reason: expect.stringMatching(/^s3:PutObject on anchors\/\* only: .{20,}/), resource: fnPolicy },
        {
          rule: 'Serverless-SQSRedrivePolicy',
          reason: expect.stringMatching(/^This queue is itself the last stop of failed duty deliveries and runs.{40,}/),
          resource: logicalId(kansa.jobs.deadLetterQueue),
        },
        { rule: xrayAck.id, reason: xrayAck.reason, resource: fnPolicy },
        {
          rule: 'Serverless-LambdaDLQ',
          reason: expect.stringMatching(
            /^Asynchronous invocations that still fail after their retries go to the on-failure destination.{40,}/,
          ),
          resource: fn,
        },
      ]),
    );
  });
});
