import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { createIncidentSchema, type Incident } from '#lib/domain/incident.js';
import { checked } from '../api.js';
import { DepartmentSelect } from '../components/departments.js';
import { FactsFields } from '../components/incident-facts.js';
import { emptyFacts, factsBody } from '../incident-view.js';
import { PageTitle, SaveForm, fieldError } from '../components/ui.js';
import { useCreateIntent, useRunner } from '../hooks.js';
import { useSession } from '../session.js';
import { incidentReportHint } from '../wording.js';

/**
 * 事案の報告: any 職員 with a 課, roles or none, on a phone as on a desktop. The 課 is the
 * user's own unless they name another; 発覚日時 is now. Checked with the server's schema
 * before sending, one Idempotency-Key per report; the 事案's page follows.
 */
export default function IncidentReport() {
  const { api, me, profile } = useSession();
  const { route } = useLocation();
  const runner = useRunner();
  const intent = useCreateIntent();
  const [department, setDepartment] = useState(me.department);
  const [facts, setFacts] = useState(() => emptyFacts(new Date()));
  const err = (p: string) => fieldError(runner.error, p);
  return (
    <>
      <PageTitle title="事案の報告">事案の報告</PageTitle>
      <p class="hint">{incidentReportHint(profile)}</p>
      <SaveForm
        runner={runner}
        submit="報告する"
        label="事案の報告"
        onSave={async () => {
          const r = await api.create<Incident>('/incidents', checked(createIncidentSchema, { department, ...factsBody(facts) }), intent);
          route(`/incidents/${r.data.incidentId}`);
        }}
      >
        <DepartmentSelect label="課（情報を管理する課）" required value={department} onValue={setDepartment} error={err('department')} />
        <FactsFields value={facts} onValue={setFacts} error={err} />
      </SaveForm>
    </>
  );
}
