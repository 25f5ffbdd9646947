import { type CfnElement, CfnOutput, Duration, Stack, type StackProps, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Department } from '#lib/domain/organisation.js';
import { eventSource } from '#lib/jobs/events.js';
import { dutySchedules, jobFunctionSpec, scheduleTimeZone } from '#lib/jobs/schedule.js';
import { type PracticeOverrides, practisedProfile } from '#lib/profiles/practices.js';
import type { DutyId } from '#lib/profiles/types.js';
import { AppFunction } from '../constructs/app-function.js';
import { bindEvidenceBucket } from '../constructs/evidence-access.js';
import { evidenceBucketIn } from './data-stack.js';

/** Props of {@link JobsStack}. */
export interface JobsStackProps extends StackProps {
  /** The single table from the data stack. */
  table: ITable;
  /**
   * The evidence bucket from the data stack (read by name from its output, see
   * {@link evidenceBucketIn}): the `evidence-pending` duty verifies uploads like the verifier.
   */
  evidenceBucket: IBucket;
  /** Regulation profile id (`PROFILE_ID`): its enabled duties get schedules. */
  profileId: string;
  /** The deployment's practice over the profile's defaults (`PRACTICES_JSON`): e.g. 003 auditing as its practice gets an annual plan. */
  practices: PracticeOverrides;
  /** `POWERTOOLS_LOG_LEVEL` of the jobs function. */
  logLevel: string;
  /** The organisation's 部 and 課 (`DEPARTMENTS_JSON`): the 点検 goes to each 課. */
  departments: readonly Department[];
  /** Context `malwareScan`: the `evidence-pending` duty, like the verifier, waits for GuardDuty's result tag on an upload (`MALWARE_SCAN`). */
  malwareScan?: boolean;
}

/** How often, and for how long, a failed delivery or run is tried again before it goes to the DLQ. */
export const jobRetry = { schedulerAttempts: 3, lambdaAttempts: 2, maxEventAge: Duration.hours(6) } as const;

/** What cdk-nag cannot see about the dead-letter queue, acknowledged on the queue only. */
const deadLetterQueueAck = {
  id: 'AwsSolutions-SQS3',
  reason:
    'This queue IS the dead-letter queue: of the EventBridge Scheduler schedules (deliveries that failed after their retries) and the ' +
    "jobs function's asynchronous invocations (runs that failed after their retries); cdk-nag only recognizes DLQs named in an SQS redrive policy.",
};

/** Why the dead-letter queue has no redrive policy (cdk-nag Serverless-SQSRedrivePolicy), acknowledged on the queue only. */
const deadLetterQueueRedriveAck = {
  id: 'Serverless-SQSRedrivePolicy',
  reason:
    'This queue is itself the last stop of failed duty deliveries and runs (kept 14 days, with an alarm to the alarm topic): nothing consumes ' +
    'it, so no message can fail processing and be redriven; a redrive policy would only name yet another queue.',
};

/**
 * How long the bus archive keeps every kansa event: a whole 年度 and then some, so a consumer
 * that was down or missing (e.g. added after the yearly plan of 1 April) can be replayed
 * everything of the last year; the records themselves (tasks, overdue markings) stay in the table.
 */
export const eventArchiveRetention = Duration.days(400);

const pascal = (s: string): string => s.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * The periodic duties: one EventBridge Scheduler schedule per enabled duty of the
 * profile, from THE schedule table (lib/jobs/schedule.ts), in Asia/Tokyo, each invoking
 * the jobs function with `{ duty, instant: <aws.scheduler.scheduled-time> }` so every
 * retry carries the same logical instant. Deliveries the scheduler cannot make and runs
 * that still fail after Lambda's asynchronous retries land in one encrypted dead-letter
 * queue (its alarm is in the monitoring stack). The function puts its events on the stack's
 * EventBridge bus, which archives them all.
 */
export class JobsStack extends Stack {
  readonly jobFunction: AppFunction;
  readonly bus: EventBus;
  /** The bus's archive of every kansa event ({@link eventArchiveRetention}). */
  readonly archive: Archive;
  readonly deadLetterQueue: Queue;
  readonly schedulerRole: Role;
  readonly schedules: Partial<Record<DutyId, Schedule>>;

  constructor(scope: Construct, id: string, props: JobsStackProps) {
    super(scope, id, props);

    this.bus = new EventBus(this, 'Bus', {
      description: 'kansa: tasks created and follow-up actions overdue (kansa.TaskCreated, kansa.ActionOverdue)',
    });

    // Every event kansa puts on the bus is archived, so one nobody consumed can be replayed.
    this.archive = this.bus.archive('Archive', {
      description: 'kansa: every event of source "kansa" (kansa.TaskCreated, kansa.ActionOverdue), for replay',
      eventPattern: { source: [eventSource] },
      retention: eventArchiveRetention,
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue.node.defaultChild as CfnElement).acknowledge(deadLetterQueueAck, deadLetterQueueRedriveAck);

    // Runs are idempotent per (duty, period), but one pass over every action may take minutes.
    this.jobFunction = new AppFunction(this, 'RunDutyFunction', {
      entry: jobFunctionSpec.entry,
      description: jobFunctionSpec.description,
      profileId: props.profileId,
      practices: props.practices,
      serviceName: 'kansa',
      logLevel: props.logLevel,
      departmentsJson: JSON.stringify(props.departments),
      memorySize: 1024,
      timeout: Duration.minutes(15),
    }).bindTable(props.table, jobFunctionSpec.table);
    bindEvidenceBucket(
      this.jobFunction,
      evidenceBucketIn(this, props.evidenceBucket),
      (props.malwareScan ?? true) ? [...jobFunctionSpec.bucket, 'scanResult'] : jobFunctionSpec.bucket,
    );
    this.jobFunction.addEnvironment('MALWARE_SCAN', (props.malwareScan ?? true) ? 'guardduty' : 'off');
    this.jobFunction.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
    this.bus.grantPutEventsTo(this.jobFunction);
    // The scheduler invokes asynchronously: a run that throws is retried by Lambda, then sent to the DLQ.
    this.jobFunction.configureAsyncInvoke({
      retryAttempts: jobRetry.lambdaAttempts,
      maxEventAge: jobRetry.maxEventAge,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    // One role for every schedule: it may invoke the jobs function and send to the DLQ, nothing else.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      description: 'EventBridge Scheduler: invokes the kansa jobs function; failed deliveries go to the jobs DLQ',
    });

    this.schedules = {};
    for (const row of dutySchedules(practisedProfile(props.profileId, props.practices))) {
      this.schedules[row.duty] = new Schedule(this, `${pascal(row.duty)}Schedule`, {
        description: row.description,
        schedule: ScheduleExpression.expression(row.eventBridge, TimeZone.of(scheduleTimeZone)),
        timeWindow: TimeWindow.off(),
        target: new LambdaInvoke(this.jobFunction, {
          role: this.schedulerRole,
          input: ScheduleTargetInput.fromObject({ duty: row.duty, instant: ContextAttribute.scheduledTime }),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: jobRetry.schedulerAttempts,
          maxEventAge: jobRetry.maxEventAge,
        }),
      });
    }

    // LambdaInvoke grants the role InvokeFunction on the function and on `<arn>:*` (its versions and aliases).
    const schedulerPolicy = this.schedulerRole.node.tryFindChild('DefaultPolicy');
    if (!schedulerPolicy) throw new Error('the scheduler role has no policy: no duty is scheduled');
    Validations.of(schedulerPolicy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.jobFunction.node.defaultChild as CfnElement)}.Arn>:*]`,
      reason:
        "lambda:InvokeFunction on the jobs function's versions and aliases (<arn>:*) as well as the function itself: added by the aws-scheduler-targets " +
        'LambdaInvoke grant; the wildcard cannot name any other function.',
    });

    new CfnOutput(this, 'EventBusName', {
      value: this.bus.eventBusName,
      description: 'kansa.TaskCreated / kansa.ActionOverdue events (source "kansa")',
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl, description: 'failed duty deliveries and runs' });
  }
}
