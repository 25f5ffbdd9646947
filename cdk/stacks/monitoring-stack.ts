import { Annotations, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, type AlarmProps, ComparisonOperator, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import type { DutyMetric } from '#lib/app/duty-units.js';
import { metricsNamespace } from '#lib/metrics.js';
import { AppFunction } from '../constructs/app-function.js';

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  /** Where the alarms go by e-mail (context `alarmEmail`); absent: the topic has no subscriber, and synth warns. */
  alarmEmail: string | undefined;
  /** Every {@link AppFunction} under these constructs (the API and jobs stacks) gets its Errors and Throttles alarms. */
  functionsOf: readonly IConstruct[];
  /** The HTTP API's stage (5xx rate). */
  apiStage: IHttpStage;
  /** The jobs dead-letter queue: failed duty deliveries and runs. */
  jobsDeadLetterQueue: IQueue;
  /** The evidence verifier's on-failure queue. */
  verifierFailureQueue: IQueue;
  /** `SERVICE_NAME` of the functions: the `service` dimension of kansa's own metrics. */
  serviceName: string;
}

/**
 * The 5xx-rate alarm: at least {@link apiErrorRate.percent}% of the requests of 5 minutes
 * answered 5xx, counted only when there were at least {@link apiErrorRate.minRequests}
 * requests (one error among three requests at night pages nobody; function errors and
 * their own alarms still show it).
 */
export const apiErrorRate = { percent: 1, minRequests: 20, period: Duration.minutes(5) } as const;

/**
 * Hours the oldest pending evidence may reach: the daily evidence-pending duty (00:30) works
 * on what was registered more than an hour before it, so right before a run the oldest may be
 * 24 + 1 hours old; older means the last run left some pending.
 */
export const pendingEvidenceMaxHours = 25;

/** The metric the evidence-pending duty publishes (lib/app/duty-work.ts). */
export const pendingEvidenceMetric: DutyMetric = 'OldestPendingEvidenceAgeHours';

/**
 * The alarms and the one place they go: an SNS topic encrypted with its own KMS key,
 * published to only over TLS, with an e-mail subscription from context `alarmEmail`.
 * Created last: it reads the other stacks' functions, queues and API stage (weak
 * cross-stack references), and no other stack refers to it.
 *
 * Alarms: every function's Errors and Throttles (found by walking the given stacks, so a
 * new function gets its alarms), the HTTP API's 5xx rate, both dead-letter queues'
 * depth, and the age of the oldest evidence still pending verification. Each alarm says in
 * Japanese what happened and what to do, and notifies the topic when it fires and when it
 * is OK again.
 */
export class MonitoringStack extends Stack {
  readonly alarmTopic: Topic;
  readonly alarmKey: Key;
  /** Errors and Throttles alarms by function construct path. */
  readonly functionAlarms: Record<string, { errors: Alarm; throttles: Alarm }>;
  readonly apiErrorRateAlarm: Alarm;
  readonly jobsDeadLetterAlarm: Alarm;
  readonly verifierFailureAlarm: Alarm;
  readonly pendingEvidenceAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);

    // CloudWatch publishes to the encrypted topic itself: it needs the key, and the topic's leave.
    this.alarmKey = new Key(this, 'AlarmTopicKey', {
      description: 'kansa: encrypts the alarm topic; CloudWatch alarms of this account may use it to publish',
      enableKeyRotation: true,
    });
    this.alarmKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'kansa アラーム',
      masterKey: this.alarmKey,
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
        },
      }),
    );
    if (props.alarmEmail) {
      const subscription = this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The e-mail subscription of the alarm topic: a dead-letter queue for it would hold alarm notifications nobody reads, and its own alarm ' +
          'could only notify this same topic. An alarm whose mail is lost stays in ALARM in CloudWatch, where the console shows it.',
      });
    } else {
      Annotations.of(this).addWarningV2(
        'kansa:alarmEmail',
        'No alarm e-mail: context "alarmEmail" is not set, so the alarm topic has no subscriber and nobody will be told when an alarm fires. ' +
          'Set it with `-c alarmEmail=<address>` or in cdk.json.',
      );
    }
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, alarmProps: AlarmProps): Alarm => {
      const a = new Alarm(this, alarmId, alarmProps);
      a.addAlarmAction(action);
      a.addOkAction(action);
      return a;
    };

    this.functionAlarms = {};
    const functions = props.functionsOf.flatMap((c) => c.node.findAll()).filter((c): c is AppFunction => c instanceof AppFunction);
    for (const fn of functions) {
      const path = fn.node.path;
      const name = path.replace(/[^A-Za-z0-9]/g, '');
      const logGroup = `${path}Logs`;
      const errors = alarm(`${name}Errors`, {
        alarmDescription:
          `関数 ${path} がエラーで終了しました（未処理の例外・タイムアウト・メモリ不足）。利用者の操作や定期業務が失敗した可能性があります。` +
          `この時刻のロググループ（${logGroup}）のエラーと X-Ray のトレースを確認し、原因を取り除いてください。`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      const throttles = alarm(`${name}Throttles`, {
        alarmDescription:
          `関数 ${path} の呼び出しがスロットリングされました（同時実行数の上限）。利用者の要求が拒否されたか、非同期の呼び出しが遅れています。` +
          'この時刻の呼び出し数と、アカウントの Lambda 同時実行数のクォータを確認し、必要ならクォータの引き上げを申請してください。',
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.functionAlarms[path] = { errors, throttles };
    }

    const { percent, minRequests, period } = apiErrorRate;
    this.apiErrorRateAlarm = alarm('ApiServerErrorRateAlarm', {
      alarmDescription:
        `API の 5xx 応答が 5 分間の要求の ${percent}% 以上になりました（要求が ${minRequests} 件以上のときのみ判定）。利用者の操作が失敗しています。` +
        'API のアクセスログ（status と integrationStatus）と各関数のエラー・スロットリングのアラームを確認してください。',
      metric: new MathExpression({
        label: '5xx rate (%)',
        expression: `IF(requests >= ${minRequests}, 100 * errors / requests, 0)`,
        usingMetrics: {
          errors: props.apiStage.metricServerError({ period, statistic: 'Sum' }),
          requests: props.apiStage.metricCount({ period, statistic: 'Sum' }),
        },
        period,
      }),
      threshold: percent,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const queueDepth = (queue: IQueue) => ({
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.jobsDeadLetterAlarm = alarm('JobsDeadLetterAlarm', {
      alarmDescription:
        '定期業務（年間監査計画・点検・委託先確認・期限超過・未検証の証跡・監査証跡のアンカー）の起動または実行が再試行後も失敗しました。' +
        'デッドレターキューのメッセージ（定期業務名と時刻）と実行関数のログで原因を確認し、取り除いたうえで、実行関数をメッセージと同じ { "duty", "instant" } で呼び出して実行し直してください（実行済みの分は重複しません）。',
      ...queueDepth(props.jobsDeadLetterQueue),
    });
    this.verifierFailureAlarm = alarm('EvidenceVerifierFailureAlarm', {
      alarmDescription:
        '証跡の到着検証（ウイルス検査の結果、またはスキャンしない環境では S3 の通知）が再試行後も失敗しました。失敗したイベントはキューに残っています。検証関数のログで原因を確認してください。' +
        '検証待ちの証跡は毎日の定期業務 evidence-pending が再検証します（ファイルが無ければ期限切れとし、登録者に再アップロードのタスクを作成します）。',
      ...queueDepth(props.verifierFailureQueue),
    });

    this.pendingEvidenceAlarm = alarm('PendingEvidenceAgeAlarm', {
      alarmDescription:
        `検証待ちのまま ${pendingEvidenceMaxHours} 時間を超えた証跡があります（毎日の定期業務 evidence-pending が処理しきれていません）。` +
        '定期業務のデッドレターキューのアラームと実行関数のログを確認し、原因を取り除いたうえで evidence-pending を実行し直してください。',
      metric: new Metric({
        namespace: metricsNamespace,
        metricName: pendingEvidenceMetric,
        dimensionsMap: { service: props.serviceName },
        statistic: 'Maximum',
        period: Duration.days(1),
      }),
      threshold: pendingEvidenceMaxHours,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
