import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { repoRoot } from '#cdk/constructs/app-function.js';

/** What the infra tests (test/infra) share: cdk.json's context, reading a synthesized template, and cdk-nag's findings. */

/** A resource of a synthesized template. */
export type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation properties of any shape

/** A statement of an IAM policy document. */
export type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

/** The context of cdk.json: what `npx cdk synth` uses on a clean clone. */
export const cdkContext = (JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

/** Context: cdk-nag's findings go to the cloud assembly's validation-report.json instead of failing synth (read with `validationFindings`). */
export const reportFindingsInsteadOfThrowing = { '@aws-cdk/core:failSynthOnValidationErrors': false };

/** Context: no function is bundled (test/infra/stack.test.ts and jobs-stack.test.ts bundle them). */
export const noBundling = { 'aws:cdk:bundling-stacks': [] };

/**
 * A stand-in for web/dist in a new temporary directory (an index.html loading one hashed asset), so the web stacks
 * build without the SPA's build. The caller removes it.
 */
export function webDistStandIn(): string {
  const dist = mkdtempSync(join(tmpdir(), 'kansa-web-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><html lang="ja"><script type="module" src="/assets/index-AbC123.js"></script>');
  writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log("app")');
  return dist;
}

export const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** The one resource of this type in the template, with its logical id (fails unless there is exactly one). */
export function only(t: Template, type: string): [string, Resource] {
  const found = Object.entries(t.findResources(type)) as [string, Resource][];
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
}

/** Every statement of the policies attached to a role (by its logical id). */
export function statementsOf(t: Template, roleId: string): Statement[] {
  return (Object.values(t.findResources('AWS::IAM::Policy')) as Resource[])
    .filter((p) => JSON.stringify(p.Properties?.Roles).includes(`"${roleId}"`))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The actions of these statements, each once, sorted. */
export const actionsOf = (statements: Statement[]): string[] => [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity?: string; violatingConstructs?: { constructPath: string }[] }[];
  }[];
}

/**
 * The findings of the validation plugins (cdk-nag's packs) in the cloud assembly's validation-report.json, each as
 * `<plugin> <severity> <rule> at <construct paths>`. `under`: only the constructs whose path starts with it (a finding
 * with none of them is left out); `ignore`: rules left out.
 */
export function validationFindings(assemblyDir: string, opts: { under?: string; ignore?: readonly string[] } = {}): string[] {
  const file = join(assemblyDir, 'validation-report.json');
  expect(existsSync(file), file).toBe(true);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((p) =>
    p.violations
      .filter((v) => !(opts.ignore ?? []).includes(v.ruleName))
      .flatMap((v) => {
        const paths = (v.violatingConstructs ?? []).map((c) => c.constructPath).filter((path) => path.startsWith(opts.under ?? ''));
        if (opts.under !== undefined && paths.length === 0) return [];
        return [`${p.pluginName} ${v.severity ?? ''} ${v.ruleName} at ${paths.join(', ')}`];
      }),
  );
}

/** The findings of cdk-nag's AwsSolutions and Serverless packs run on this scope, each as `<rule> at <construct paths>`. */
export function unacknowledgedRules(scope: IConstruct): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId).join(', ')}`),
  );
}
