import { useState } from 'preact/hooks';
import { auditMethodLabels, auditMethods, createPlanSchema, updatePlanSchema } from '#lib/domain/plan.js';
import { checked } from '../api.js';
import { teamRoles } from '#lib/domain/roles.js';
import { fiscalYearText } from '../format.js';
import { useCreateIntent, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import type { Plan } from '../types.js';
import { DepartmentChecks } from './departments.js';
import { SaveForm, TextArea, TextField, fieldError } from './ui.js';
import { planFormCite } from '../wording.js';

/** 様式第4号: create a draft, or edit one while 起案中 / 差戻し (PATCH with If-Match). */

type Method = (typeof auditMethods)[number];

export interface PlanFormProps {
  /** Editing this plan; creating when absent. */
  plan?: Plan;
  etag?: string | null;
  defaultFiscalYear: number;
  onSaved: (plan: Plan, etag: string | null) => void;
  onCancel?: () => void;
  onReload?: () => void;
}

export function PlanForm({ plan, etag, defaultFiscalYear, onSaved, onCancel, onReload }: PlanFormProps) {
  const { api, profile } = useSession();
  const runner = useRunner();
  const intent = useCreateIntent();
  const [fiscalYear, setFiscalYear] = useState(String(plan?.fiscalYear ?? defaultFiscalYear));
  const [purpose, setPurpose] = useState(plan?.purpose ?? '');
  const [scope, setScope] = useState(plan?.scope ?? '');
  const [departments, setDepartments] = useState<string[]>(plan?.auditedDepartments ?? []);
  const [methods, setMethods] = useState<Method[]>(plan?.methods ?? []);
  const [from, setFrom] = useState(plan?.schedule.from ?? '');
  const [to, setTo] = useState(plan?.schedule.to ?? '');
  const [team, setTeam] = useState<Record<string, string>>(Object.fromEntries((plan?.team ?? []).map((m) => [m.role, m.userId])));
  const [criteria, setCriteria] = useState(plan?.criteria ?? profile.regulation);
  const [followUp, setFollowUp] = useState(plan?.followUp ?? '');
  const fy = Number(fiscalYear);
  const err = (path: string) => fieldError(runner.error, path);

  const save = async () => {
    const body = {
      fiscalYear: fy,
      purpose,
      scope,
      auditedDepartments: departments,
      methods,
      schedule: { ...(plan?.schedule.byDepartment ? { byDepartment: plan.schedule.byDepartment } : {}), from, to },
      team: teamRoles.flatMap((role) => (team[role]?.trim() ? [{ role, userId: team[role].trim() }] : [])),
      ...(criteria.trim() ? { criteria } : {}),
      ...(followUp.trim() ? { followUp } : {}),
    };
    const r = plan
      ? await api.patch<Plan>(`/plans/${plan.planId}`, checked(updatePlanSchema, body), etag ?? null)
      : await api.create<Plan>('/plans', checked(createPlanSchema, body), intent);
    onSaved(r.data, r.etag);
  };

  return (
    <SaveForm runner={runner} submit="保存" onSave={save} onCancel={onCancel} onReload={onReload}>
      <h2>
        {plan ? '監査計画を編集' : '監査計画を起案'}
        {planFormCite(profile)}
      </h2>
      <TextField
        label="年度"
        type="number"
        inputMode="numeric"
        min={2000}
        max={2100}
        required
        value={fiscalYear}
        onValue={setFiscalYear}
        hint={Number.isInteger(fy) && fy >= 2000 && fy <= 2100 ? fiscalYearText(fy) : '西暦で入力してください（例: 2026）'}
        error={err('fiscalYear')}
      />
      <TextArea label="監査目的" required value={purpose} onValue={setPurpose} error={err('purpose')} />
      <TextArea label="監査範囲" required value={scope} onValue={setScope} error={err('scope')} />
      <DepartmentChecks legend="被監査部門" required value={departments} onValue={setDepartments} error={err('auditedDepartments')} />
      <fieldset aria-describedby={err('methods') ? 'plan-methods-error' : undefined}>
        <legend>
          監査方法<span class="required">（必須）</span>
        </legend>
        {auditMethods.map((m) => (
          <label key={m} class="check">
            <input
              type="checkbox"
              checked={methods.includes(m)}
              onChange={(e) => setMethods((prev) => (e.currentTarget.checked ? [...prev, m] : prev.filter((x) => x !== m)))}
            />
            {auditMethodLabels[m]}
          </label>
        ))}
        {err('methods') && (
          <p class="field-error" id="plan-methods-error">
            {err('methods')}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>
          監査実施日程<span class="required">（必須）</span>
        </legend>
        <div class="row">
          <TextField label="開始日" type="date" required value={from} onValue={setFrom} error={err('schedule.from') ?? err('schedule')} />
          <TextField label="終了日" type="date" required value={to} onValue={setTo} error={err('schedule.to')} />
        </div>
      </fieldset>
      <fieldset>
        <legend>監査実施体制（利用者ID）</legend>
        {teamRoles
          .filter((role) => profile.roleTitles[role])
          .map((role) => (
            <TextField
              key={role}
              label={profile.roleTitles[role] ?? role}
              value={team[role] ?? ''}
              onValue={(v) => setTeam((t) => ({ ...t, [role]: v }))}
              error={err('team')}
            />
          ))}
      </fieldset>
      <TextField label="適用基準" value={criteria} onValue={setCriteria} error={err('criteria')} />
      <TextArea label="監査結果のフォローアップ" value={followUp} onValue={setFollowUp} error={err('followUp')} />
    </SaveForm>
  );
}
